import type { CommandMatch } from './command-matcher.js';
import type { ProbeCommandName, ProbeCounts } from './host-protocols.js';
import { percentile, type LatencyMatch } from './latency-matcher.js';

/** Nearest-rank percentiles of a set of latencies, NaN without any. */
export interface LatencySummary {
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Bound of the error from relating the processes' clocks. */
  clockUncertaintyMs: number;
}

/** Moonraker frame with a new print state → the event that reports it at the cloud's subscriber. */
export interface FrameLatencyResult extends LatencySummary {
  /** Pauses and resumes in the window whose event did not arrive in time. */
  missing: number;
  /** Some of those, with their send time in seconds after the window opened. */
  missingExamples: { printer: number; state: string; secondsIntoWindow: number }[];
}

/** Cloud command published → the request it makes the bridge send, as Moonraker received it. */
export interface CommandLatencyResult extends LatencySummary {
  /** Commands sent in the window whose request did not arrive in time. */
  unmatched: number;
  unmatchedExamples: {
    printer: number;
    command: ProbeCommandName;
    commandId: string;
    secondsIntoWindow: number;
  }[];
  /** Pause and resume requests in the window that no command accounts for. */
  unexpected: number;
  /** Transports of the requests as Moonraker received them: `http`, `websocket` or both. */
  transports: string[];
  /** Publish counts of the whole phase, warm-up included. */
  probes: ProbeCounts;
}

/** A match on the orchestrator's clock, with what is needed to report it. */
export interface MeasuredLatency<M> {
  match: M;
  windowFrom: number;
  clockUncertaintyMs: number;
}

export function frameLatencyResult(measured: MeasuredLatency<LatencyMatch>): FrameLatencyResult {
  const { match, windowFrom } = measured;
  return {
    ...summarize(match.latenciesMs, measured.clockUncertaintyMs),
    missing: match.missing,
    missingExamples: match.missingExamples.map((change) => ({
      printer: change.printer,
      state: change.state,
      secondsIntoWindow: (change.sentAt - windowFrom) / 1000,
    })),
  };
}

export function commandLatencyResult(
  measured: MeasuredLatency<CommandMatch> & { probes: ProbeCounts; transports: string[] },
): CommandLatencyResult {
  const { match, windowFrom } = measured;
  return {
    ...summarize(match.latenciesMs, measured.clockUncertaintyMs),
    unmatched: match.unmatched,
    unmatchedExamples: match.unmatchedExamples.map((command) => ({
      printer: command.printer,
      command: command.command,
      commandId: command.commandId,
      secondsIntoWindow: (command.sentAt - windowFrom) / 1000,
    })),
    unexpected: match.unexpected,
    transports: measured.transports,
    probes: measured.probes,
  };
}

function summarize(values: readonly number[], clockUncertaintyMs: number): LatencySummary {
  return {
    samples: values.length,
    p50Ms: percentile(values, 50) ?? Number.NaN,
    p99Ms: percentile(values, 99) ?? Number.NaN,
    maxMs: percentile(values, 100) ?? Number.NaN,
    clockUncertaintyMs,
  };
}
