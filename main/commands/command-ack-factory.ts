import { v7 as uuidV7 } from 'uuid';

import { COMMAND_ACK_TYPE } from '../../shared/contract/commands.js';
import type { AckReason, AckStage, AckStatus, CommandAck } from '../../shared/contract/commands.js';
import { ENVELOPE_VERSION } from '../../shared/contract/envelope.js';
import type { DeviceIdentity } from '../../shared/contract/envelope.js';
import { isoSeconds } from '../../shared/contract/time.js';
import type { Clock } from '../support/clock.js';

/** Content of an ack about one command. The factory adds the envelope around it. */
export interface AckContent {
  commandId: string;
  status: AckStatus;
  stage: AckStage;
  reason?: AckReason;
  result?: Record<string, unknown>;
  /** Set on a replayed duplicate that was not executed again. */
  skipped?: boolean;
}

export interface CommandAckFactoryOptions {
  /** Read on every ack, because tenant and printer ids may become known after start. */
  identity: () => DeviceIdentity;
  /** `$origin`, such as `moonraker-owl@0.1.0`. */
  origin: string;
  clock: Clock;
  /** Produces `$id`; defaults to a UUIDv7 stamped with the clock's wall time. */
  newId?: () => string;
}

/** Builds `command.ack` envelopes with a fresh `$id` and `$ts` each. */
export class CommandAckFactory {
  private readonly newId: () => string;

  constructor(private readonly options: CommandAckFactoryOptions) {
    this.newId = options.newId ?? (() => uuidV7({ msecs: options.clock.now() }));
  }

  create(content: AckContent): CommandAck {
    const identity = this.options.identity();
    return {
      $v: ENVELOPE_VERSION,
      $type: COMMAND_ACK_TYPE,
      $id: this.newId(),
      $ts: isoSeconds(this.options.clock.now()),
      $origin: this.options.origin,
      deviceId: identity.deviceId,
      payload: {
        commandId: content.commandId,
        status: content.status,
        stage: content.stage,
        ...correlationOf(identity),
        ...reasonOf(content.reason),
        ...resultOf(content.result),
        ...(content.skipped === true ? { skipped: true as const } : {}),
      },
    };
  }
}

type AckPayload = CommandAck['payload'];

function correlationOf(identity: DeviceIdentity): Partial<AckPayload> {
  const { tenantId, printerId } = identity;
  if (!tenantId && !printerId) return {};
  return {
    ...(tenantId ? { tenantId } : {}),
    ...(printerId ? { printerId } : {}),
    correlation: { ...(tenantId ? { tenantId } : {}), ...(printerId ? { printerId } : {}) },
  };
}

/** Keeps each reason key only when it is non-empty, and drops an empty reason. */
function reasonOf(reason: AckReason | undefined): Partial<AckPayload> {
  if (!reason) return {};
  const kept: AckReason = {
    ...(reason.code ? { code: reason.code } : {}),
    ...(reason.message ? { message: reason.message } : {}),
  };
  return Object.keys(kept).length > 0 ? { reason: kept } : {};
}

function resultOf(result: Record<string, unknown> | undefined): Partial<AckPayload> {
  if (!result || Object.keys(result).length === 0) return {};
  return { result };
}
