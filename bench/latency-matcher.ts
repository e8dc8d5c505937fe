import { PROBE_EVENTS, type ProbeEventName } from './host-protocols.js';

/** A print state change on one printer, on the orchestrator's clock. */
export interface StateChange {
  printer: number;
  state: string;
  sentAt: number;
}

/** A probe event as received, on the orchestrator's clock. */
export interface ProbeReceipt {
  printer: number;
  eventName: ProbeEventName;
  receivedAt: number;
}

export interface LatencyMatch {
  /** Latency of each matched change, in milliseconds, in no particular order. */
  latenciesMs: number[];
  /** Changes inside the window for which no event arrived within `maxLatencyMs`. */
  missing: number;
  /** The first few of those changes, to look into. */
  missingExamples: StateChange[];
}

const MISSING_EXAMPLES = 5;

export interface MatchWindow {
  from: number;
  to: number;
  maxLatencyMs: number;
  /** Clock error allowed when a receipt seems to come before its frame. */
  toleranceMs: number;
}

/**
 * Pairs every pause and resume that left a simulator inside the window with the first later event
 * of the matching name from the same printer. A change to `paused` expects print:paused, and a
 * change from `paused` to `printing` expects print:resumed; other changes expect nothing.
 */
export function matchLatencies(
  changes: readonly StateChange[],
  receipts: readonly ProbeReceipt[],
  window: MatchWindow,
): LatencyMatch {
  const result: LatencyMatch = { latenciesMs: [], missing: 0, missingExamples: [] };
  for (const [printer, printerChanges] of groupByPrinter(changes)) {
    const printerReceipts = receipts
      .filter((receipt) => receipt.printer === printer)
      .sort((a, b) => a.receivedAt - b.receivedAt);
    matchPrinter(printerChanges, printerReceipts, window, result);
  }
  return result;
}

function matchPrinter(
  changes: readonly StateChange[],
  receipts: readonly ProbeReceipt[],
  window: MatchWindow,
  result: LatencyMatch,
): void {
  const used = new Set<number>();
  let previousState: string | undefined;
  for (const change of changes) {
    const expected = expectedEvent(previousState, change.state);
    previousState = change.state;
    if (!expected || change.sentAt < window.from || change.sentAt > window.to) continue;

    const index = receipts.findIndex(
      (receipt, position) =>
        !used.has(position) &&
        receipt.eventName === expected &&
        receipt.receivedAt >= change.sentAt - window.toleranceMs,
    );
    const receipt = receipts[index];
    if (!receipt || receipt.receivedAt - change.sentAt > window.maxLatencyMs) {
      result.missing += 1;
      if (result.missingExamples.length < MISSING_EXAMPLES) result.missingExamples.push(change);
      continue;
    }
    used.add(index);
    result.latenciesMs.push(receipt.receivedAt - change.sentAt);
  }
}

function expectedEvent(previous: string | undefined, next: string): ProbeEventName | undefined {
  if (next === 'paused') return PROBE_EVENTS.paused;
  if (next === 'printing' && previous === 'paused') return PROBE_EVENTS.printing;
  return undefined;
}

function groupByPrinter(changes: readonly StateChange[]): Map<number, StateChange[]> {
  const groups = new Map<number, StateChange[]>();
  for (const change of [...changes].sort((a, b) => a.sentAt - b.sentAt)) {
    const group = groups.get(change.printer) ?? [];
    group.push(change);
    groups.set(change.printer, group);
  }
  return groups;
}

/** Nearest-rank percentile of unsorted values: the smallest value with `p`% at or below it. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}
