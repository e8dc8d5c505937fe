import { v7 } from 'uuid';

import { ENVELOPE_VERSION, TELEMETRY_TYPES, originOf } from '../../shared/contract/envelope.js';
import type { DeviceIdentity, TelemetryEnvelope } from '../../shared/contract/envelope.js';
import { isoSeconds } from '../../shared/contract/time.js';
import type { TelemetryChannel } from '../../shared/contract/topics.js';
import type { Clock } from '../support/clock.js';
import { buildOfflineStatusPayload, DEFAULT_STATUS_HEARTBEAT_SECONDS } from './offline-status.js';
import { createTraceparent, defaultRandomBytes } from './traceparent.js';
import type { RandomBytes } from './traceparent.js';

/** Channels wrapped in the version 1 envelope. Health frames use version 2 and are built apart. */
export type EnvelopeChannel = Exclude<TelemetryChannel, 'health'>;

export type EnvelopeKind = TelemetryEnvelope['kind'];

export interface WrapOptions {
  /** Print session id, null outside a print job. */
  sessionId: string | null;
  /** `delta` only for objects frames that leave out unchanged definitions. */
  kind?: EnvelopeKind;
}

export interface EnvelopeFactoryOptions {
  identity: DeviceIdentity;
  /** Application version, sent as `$origin` `moonraker-owl@<version>`. */
  version: string;
  clock: Clock;
  createId?: () => string;
  randomBytes?: RandomBytes;
}

/**
 * Wraps channel bodies of one device into telemetry envelopes. `$seq` counts per channel from 1
 * and lives as long as the factory, so one factory per device keeps counting across MQTT
 * reconnects and telemetry restarts.
 */
export class EnvelopeFactory {
  private identity: DeviceIdentity;
  private readonly origin: string;
  private readonly clock: Clock;
  private readonly createId: () => string;
  private readonly randomBytes: RandomBytes;
  private readonly sequences = new Map<EnvelopeChannel, number>();

  constructor(options: EnvelopeFactoryOptions) {
    this.identity = { ...options.identity };
    this.origin = originOf(options.version);
    this.clock = options.clock;
    this.createId = options.createId ?? (() => v7());
    this.randomBytes = options.randomBytes ?? defaultRandomBytes;
  }

  /** Updates the ids, as when the tenant or printer id becomes known after linking. */
  setIdentity(identity: DeviceIdentity): void {
    this.identity = { ...identity };
  }

  wrap(
    channel: EnvelopeChannel,
    payload: TelemetryEnvelope['payload'],
    options: WrapOptions,
  ): TelemetryEnvelope {
    const seq = (this.sequences.get(channel) ?? 0) + 1;
    this.sequences.set(channel, seq);
    return this.envelope(channel, seq, payload, options);
  }

  /** Returns the `$seq` of the channel's last envelope, 0 before the first. */
  lastSeq(channel: EnvelopeChannel): number {
    return this.sequences.get(channel) ?? 0;
  }

  /**
   * Builds the retained Offline status for the MQTT Will or a clean stop. It has `$seq` 0 and no
   * session, and it does not advance the status sequence.
   */
  offlineStatus(
    reason: string,
    heartbeatSeconds = DEFAULT_STATUS_HEARTBEAT_SECONDS,
  ): TelemetryEnvelope {
    const payload = buildOfflineStatusPayload(reason, this.clock.now(), heartbeatSeconds);
    return this.envelope('status', 0, payload, { sessionId: null });
  }

  /** Returns a fresh `traceparent` user property value for one PUBLISH. */
  traceparent(): string {
    return createTraceparent(this.randomBytes);
  }

  private envelope(
    channel: EnvelopeChannel,
    seq: number,
    payload: TelemetryEnvelope['payload'],
    options: WrapOptions,
  ): TelemetryEnvelope {
    const envelope: TelemetryEnvelope = {
      $v: ENVELOPE_VERSION,
      $type: TELEMETRY_TYPES[channel],
      $id: this.createId(),
      $ts: isoSeconds(this.clock.now()),
      $origin: this.origin,
      $seq: seq,
      kind: options.kind ?? 'full',
      sessionId: options.sessionId,
      deviceId: this.identity.deviceId,
      payload,
    };
    if (this.identity.tenantId) envelope.tenantId = this.identity.tenantId;
    if (this.identity.printerId) envelope.printerId = this.identity.printerId;
    return envelope;
  }
}
