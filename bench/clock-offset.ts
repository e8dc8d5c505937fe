import type { ClockReading } from './host-protocols.js';

/** The difference between another process's `performance.now()` and this one's. */
export interface ClockOffset {
  /** Other process's clock minus this process's clock, in milliseconds. */
  offsetMs: number;
  /** Half the round trip of the reading used: the offset is right to within this. */
  uncertaintyMs: number;
}

const READINGS = 9;

/**
 * Measures the offset between `performance.now()` of a child and of this process, the way NTP
 * does: the child's reading is taken to fall halfway through the request's round trip, and the
 * reading with the shortest round trip is kept. Both clocks count Linux's system-wide
 * CLOCK_MONOTONIC from their own process start, so the offset stays constant while both run.
 */
export async function measureClockOffset(
  readClock: () => Promise<ClockReading>,
): Promise<ClockOffset> {
  let best: ClockOffset | undefined;
  for (let reading = 0; reading < READINGS; reading += 1) {
    const sentAt = performance.now();
    const { now } = await readClock();
    const receivedAt = performance.now();
    const candidate = {
      offsetMs: now - (sentAt + receivedAt) / 2,
      uncertaintyMs: (receivedAt - sentAt) / 2,
    };
    if (!best || candidate.uncertaintyMs < best.uncertaintyMs) best = candidate;
  }
  if (!best) throw new Error('No clock reading was taken');
  return best;
}

/** Converts a time of the other process's clock to this process's clock. */
export function toLocalTime(offset: ClockOffset, otherTime: number): number {
  return otherTime - offset.offsetMs;
}
