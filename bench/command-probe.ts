import { v7 as uuidv7 } from 'uuid';

import { COMMAND_REQUEST_TYPE } from '../shared/contract/commands.js';
import { ENVELOPE_VERSION } from '../shared/contract/envelope.js';
import { isoSeconds } from '../shared/contract/time.js';
import { commandTopic } from '../shared/contract/topics.js';
import type { Clock, TimerHandle } from '../main/support/clock.js';
import type {
  CommandPublish,
  ProbeCommandName,
  ProbeCounts,
  ProbeEventName,
} from './host-protocols.js';
import { PROBE_EVENTS } from './host-protocols.js';

/** `$origin` of the probe's command envelopes. */
const PROBE_ORIGIN = 'owl-bench';

export interface CommandProbeOptions {
  /** Device ids of the printers to probe, in printer order. */
  deviceIds: readonly string[];
  intervalMs: number;
  /** Publishes at QoS 1 and resolves once the broker has acknowledged the message. */
  publish: (topic: string, payload: string) => Promise<void>;
  /** The last print:paused or print:resumed event the cloud received from a device. */
  lastEvent: (deviceId: string) => ProbeEventName | undefined;
  clock: Clock;
}

/**
 * Sends every printer a `print:pause` command, or `print:resume` when its last print event was
 * print:paused, every `intervalMs`, the way the cloud sends commands: a `command.request` envelope
 * on the device's command topic. The printers' first commands are spread evenly over one interval.
 * Each command is recorded with `performance.now()` right before it was handed to the MQTT client,
 * so that other processes' times can be related to it.
 */
export class CommandProbe {
  private readonly timers = new Map<string, TimerHandle>();
  private readonly published: CommandPublish[] = [];
  private readonly counts: ProbeCounts = { sent: 0, failed: 0 };
  private stopped = false;

  constructor(private readonly options: CommandProbeOptions) {}

  start(): void {
    const { deviceIds, intervalMs, clock } = this.options;
    const startedAt = clock.monotonic();
    for (const [index, deviceId] of deviceIds.entries()) {
      this.schedule(deviceId, startedAt + (index * intervalMs) / deviceIds.length);
    }
  }

  /** Stops sending and returns the publish counts, without commands still waiting for a PUBACK. */
  stop(): ProbeCounts {
    this.stopped = true;
    for (const timer of this.timers.values()) this.options.clock.clearTimeout(timer);
    this.timers.clear();
    return { ...this.counts };
  }

  /** Returns every command published so far, in publish order. */
  commands(): readonly CommandPublish[] {
    return this.published;
  }

  /** Sends at `dueAt` and then every interval after it, without drift from late timers. */
  private schedule(deviceId: string, dueAt: number): void {
    const { clock, intervalMs } = this.options;
    const timer = clock.setTimeout(() => {
      if (this.stopped) return;
      this.send(deviceId);
      this.schedule(deviceId, dueAt + intervalMs);
    }, dueAt - clock.monotonic());
    this.timers.set(deviceId, timer);
  }

  private send(deviceId: string): void {
    const command: ProbeCommandName =
      this.options.lastEvent(deviceId) === PROBE_EVENTS.paused ? 'print:resume' : 'print:pause';
    const commandId = uuidv7();
    const envelope = commandEnvelope(deviceId, command, commandId, this.options.clock.now());
    const payload = JSON.stringify(envelope);
    const topic = commandTopic(deviceId, command);

    this.published.push({ deviceId, command, commandId, sentAt: performance.now() });
    this.options.publish(topic, payload).then(
      () => {
        this.counts.sent += 1;
      },
      () => {
        this.counts.failed += 1;
      },
    );
  }
}

/** Builds the current `command.request` envelope of a command without parameters. */
export function commandEnvelope(
  deviceId: string,
  command: ProbeCommandName,
  commandId: string,
  nowMs: number,
): Record<string, unknown> {
  return {
    $v: ENVELOPE_VERSION,
    $type: COMMAND_REQUEST_TYPE,
    $id: commandId,
    $ts: isoSeconds(nowMs),
    $origin: PROBE_ORIGIN,
    deviceId,
    payload: { command, parameters: {} },
  };
}
