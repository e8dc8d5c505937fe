import { PROBE_COMMANDS, type ProbeCommandName, type ProbeMethod } from './host-protocols.js';
import type { MatchWindow } from './latency-matcher.js';

/** A command the cloud side published to one printer, on the orchestrator's clock. */
export interface SentCommand {
  printer: number;
  command: ProbeCommandName;
  commandId: string;
  sentAt: number;
}

/** A pause or resume request that one simulated Moonraker received, on the orchestrator's clock. */
export interface ReceivedRequest {
  printer: number;
  method: ProbeMethod;
  receivedAt: number;
}

export interface CommandMatch {
  /** Latency of each matched command sent inside the window, in milliseconds, in no particular order. */
  latenciesMs: number[];
  /** Commands sent inside the window whose request did not arrive within `maxLatencyMs`. */
  unmatched: number;
  /** The first few of those commands, to look into. */
  unmatchedExamples: SentCommand[];
  /** Requests received inside the window that no command accounts for. */
  unexpected: number;
}

const UNMATCHED_EXAMPLES = 5;

/**
 * Pairs each command with the request it made the bridge send to Moonraker. Per printer and per
 * method, commands and requests are taken in time order, and a command claims the first unclaimed
 * request that arrived no earlier than the clock tolerance before it and at most `maxLatencyMs`
 * after it. Two commands of one kind to one printer are sent at least one probe interval apart,
 * so with `maxLatencyMs` below that interval a request can fit only one command. A command that
 * gets none counts as unmatched and a request that no command claims as unexpected. Commands
 * sent before the window are matched too, so that their requests are not counted as unexpected,
 * but only commands sent inside the window give latencies.
 */
export function matchCommands(
  commands: readonly SentCommand[],
  requests: readonly ReceivedRequest[],
  window: MatchWindow,
): CommandMatch {
  const result: CommandMatch = {
    latenciesMs: [],
    unmatched: 0,
    unmatchedExamples: [],
    unexpected: 0,
  };
  const requestGroups = groupBy(requests, (request) => `${request.printer} ${request.method}`);
  const commandGroups = groupBy(
    commands,
    (command) => `${command.printer} ${PROBE_COMMANDS[command.command]}`,
  );
  for (const key of new Set([...requestGroups.keys(), ...commandGroups.keys()])) {
    matchGroup(commandGroups.get(key) ?? [], requestGroups.get(key) ?? [], window, result);
  }
  return result;
}

/** Matches the commands of one printer and method to its requests, both in time order. */
function matchGroup(
  commands: readonly SentCommand[],
  requests: readonly ReceivedRequest[],
  window: MatchWindow,
  result: CommandMatch,
): void {
  const sortedCommands = [...commands].sort((a, b) => a.sentAt - b.sentAt);
  const sortedRequests = [...requests].sort((a, b) => a.receivedAt - b.receivedAt);
  const claimed = new Set<ReceivedRequest>();
  let next = 0;
  for (const command of sortedCommands) {
    const earliest = command.sentAt - window.toleranceMs;
    while ((sortedRequests[next]?.receivedAt ?? Number.POSITIVE_INFINITY) < earliest) next += 1;
    const request = sortedRequests[next];
    const latencyMs = request ? request.receivedAt - command.sentAt : Number.POSITIVE_INFINITY;
    const matched = request !== undefined && latencyMs <= window.maxLatencyMs;
    if (matched) {
      claimed.add(request);
      next += 1;
    }
    if (isInside(command.sentAt, window)) record(result, command, matched ? latencyMs : undefined);
  }
  result.unexpected += sortedRequests.filter(
    (request) => !claimed.has(request) && isInside(request.receivedAt, window),
  ).length;
}

function record(result: CommandMatch, command: SentCommand, latencyMs: number | undefined): void {
  if (latencyMs !== undefined) {
    result.latenciesMs.push(latencyMs);
    return;
  }
  result.unmatched += 1;
  if (result.unmatchedExamples.length < UNMATCHED_EXAMPLES) result.unmatchedExamples.push(command);
}

function isInside(time: number, window: MatchWindow): boolean {
  return time >= window.from && time <= window.to;
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key) ?? [];
    group.push(item);
    groups.set(key, group);
  }
  return groups;
}
