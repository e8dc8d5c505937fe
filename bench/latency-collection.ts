import { setTimeout as sleep } from 'node:timers/promises';

import { measureClockOffset, toLocalTime, type ClockOffset } from './clock-offset.js';
import type { ReceivedRequest, SentCommand } from './command-matcher.js';
import { matchCommands } from './command-matcher.js';
import type {
  CommandPublish,
  EventReceipt,
  MoonrakerRequest,
  ProbeCounts,
} from './host-protocols.js';
import { matchLatencies, type ProbeReceipt, type StateChange } from './latency-matcher.js';
import type { StepHosts } from './step-hosts.js';
import type { StepMeasurements } from './step-result.js';

export interface LatencyWindow {
  from: number;
  to: number;
  /** Milliseconds between two commands to one printer. */
  intervalMs: number;
}

/**
 * Maximum wait for a print state change's event, in probe intervals. It is also the time waited
 * after the window for the events of changes sent just before it closed.
 */
export const FRAME_MAX_LATENCY_INTERVALS = 1;
/**
 * Maximum wait for a command's Moonraker request, in probe intervals. It stays below one interval,
 * so that a late request cannot be taken for the next command's.
 */
export const COMMAND_MAX_LATENCY_INTERVALS = 0.5;

type Latencies = Required<Pick<StepMeasurements, 'frameLatency' | 'commandLatency'>>;

/**
 * Stops the command probe, waits long enough for the last events to arrive, and then pairs, on
 * this process's clock, each command with its Moonraker request and each print state change with
 * its event.
 */
export async function collectLatencies(
  hosts: StepHosts,
  window: LatencyWindow,
): Promise<Latencies> {
  const probes: ProbeCounts = await hosts.cloud.request('probe-stop', undefined);
  const frameMaxLatencyMs = FRAME_MAX_LATENCY_INTERVALS * window.intervalMs;
  const commandMaxLatencyMs = COMMAND_MAX_LATENCY_INTERVALS * window.intervalMs;
  await sleep(frameMaxLatencyMs);

  const [simulatorClock, cloudClock] = await Promise.all([
    measureClockOffset(() => hosts.simulators.request('clock', undefined)),
    measureClockOffset(() => hosts.cloud.request('clock', undefined)),
  ]);
  const toleranceMs = simulatorClock.uncertaintyMs + cloudClock.uncertaintyMs;
  const [frames, receipts, commands, requests] = await Promise.all([
    hosts.simulators.request('state-frames', undefined, 60_000),
    hosts.cloud.request('receipts', undefined, 60_000),
    hosts.cloud.request('commands', undefined, 60_000),
    hosts.simulators.request('requests', undefined, 60_000),
  ]);

  const changes: StateChange[] = frames.map((frame) => ({
    ...frame,
    sentAt: toLocalTime(simulatorClock, frame.sentAt),
  }));
  const frameMatch = matchLatencies(changes, localReceipts(receipts, cloudClock, hosts), {
    ...window,
    maxLatencyMs: frameMaxLatencyMs,
    toleranceMs,
  });
  const localRequests: ReceivedRequest[] = requests.map(({ printer, method, receivedAt }) => ({
    printer,
    method,
    receivedAt: toLocalTime(simulatorClock, receivedAt),
  }));
  const commandMatch = matchCommands(localCommands(commands, cloudClock, hosts), localRequests, {
    ...window,
    maxLatencyMs: commandMaxLatencyMs,
    toleranceMs,
  });
  const common = { windowFrom: window.from, clockUncertaintyMs: toleranceMs };
  return {
    frameLatency: { ...common, match: frameMatch },
    commandLatency: { ...common, match: commandMatch, probes, transports: transportsOf(requests) },
  };
}

function transportsOf(requests: readonly MoonrakerRequest[]): string[] {
  return [...new Set(requests.map((request) => request.transport))].sort();
}

function localReceipts(
  receipts: readonly EventReceipt[],
  cloudClock: ClockOffset,
  hosts: StepHosts,
): ProbeReceipt[] {
  const local: ProbeReceipt[] = [];
  for (const receipt of receipts) {
    const printer = hosts.printerIndex(receipt.deviceId);
    if (printer === undefined) continue;
    const receivedAt = toLocalTime(cloudClock, receipt.receivedAt);
    local.push({ printer, eventName: receipt.eventName, receivedAt });
  }
  return local;
}

function localCommands(
  commands: readonly CommandPublish[],
  cloudClock: ClockOffset,
  hosts: StepHosts,
): SentCommand[] {
  const local: SentCommand[] = [];
  for (const { deviceId, command, commandId, sentAt } of commands) {
    const printer = hosts.printerIndex(deviceId);
    if (printer === undefined) continue;
    local.push({ printer, command, commandId, sentAt: toLocalTime(cloudClock, sentAt) });
  }
  return local;
}
