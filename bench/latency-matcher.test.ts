import { describe, expect, it } from 'vitest';

import {
  matchLatencies,
  percentile,
  type ProbeReceipt,
  type StateChange,
} from './latency-matcher.js';

const window = { from: 0, to: 100_000, maxLatencyMs: 6_000, toleranceMs: 0.5 };

function change(printer: number, state: string, sentAt: number): StateChange {
  return { printer, state, sentAt };
}

function receipt(printer: number, eventName: ProbeReceipt['eventName'], receivedAt: number) {
  return { printer, eventName, receivedAt };
}

describe('matchLatencies', () => {
  it('pairs a pause and a resume with their events', () => {
    const changes = [change(0, 'paused', 1_000), change(0, 'printing', 4_000)];
    const receipts = [receipt(0, 'print:paused', 1_005), receipt(0, 'print:resumed', 4_007)];

    const match = matchLatencies(changes, receipts, window);

    expect(match.latenciesMs).toEqual([5, 7]);
    expect(match.missing).toBe(0);
  });

  it('expects no event for a print start', () => {
    const changes = [change(0, 'standby', 500), change(0, 'printing', 1_000)];

    const match = matchLatencies(changes, [], window);

    expect(match.latenciesMs).toEqual([]);
    expect(match.missing).toBe(0);
  });

  it('keeps printers apart', () => {
    const changes = [change(0, 'paused', 1_000), change(1, 'paused', 1_000)];
    const receipts = [receipt(1, 'print:paused', 1_003)];

    const match = matchLatencies(changes, receipts, window);

    expect(match.latenciesMs).toEqual([3]);
    expect(match.missing).toBe(1);
  });

  it('counts an event later than the maximum as missing', () => {
    const changes = [
      change(0, 'paused', 1_000),
      change(0, 'printing', 4_000),
      change(0, 'paused', 7_000),
    ];
    const receipts = [receipt(0, 'print:resumed', 4_004), receipt(0, 'print:paused', 7_002)];

    const match = matchLatencies(changes, receipts, window);

    expect(match.missing).toBe(1);
    expect(match.latenciesMs).toEqual([4, 2]);
  });

  it('ignores changes outside the window but keeps their state', () => {
    const changes = [change(0, 'paused', -2_000), change(0, 'printing', 1_000)];
    const receipts = [receipt(0, 'print:paused', -1_990), receipt(0, 'print:resumed', 1_010)];

    const match = matchLatencies(changes, receipts, window);

    expect(match.latenciesMs).toEqual([10]);
  });

  it('accepts a receipt just before its frame within the clock tolerance', () => {
    const match = matchLatencies(
      [change(0, 'paused', 1_000)],
      [receipt(0, 'print:paused', 999.8)],
      window,
    );

    expect(match.latenciesMs).toHaveLength(1);
    expect(match.latenciesMs[0]).toBeCloseTo(-0.2);
  });
});

describe('percentile', () => {
  it('returns the nearest-rank value', () => {
    const values = [5, 1, 4, 2, 3];

    expect(percentile(values, 50)).toBe(3);
    expect(percentile(values, 99)).toBe(5);
    expect(percentile(values, 0)).toBe(1);
  });

  it('returns undefined without values', () => {
    expect(percentile([], 50)).toBeUndefined();
  });
});
