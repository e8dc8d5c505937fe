import { describe, expect, it } from 'vitest';

import { OutageLog } from './outage-log.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** Fails every `everyMs` until `untilMs` and returns the times of the failures that are logged. */
function loggedTimes(everyMs: number, untilMs: number): number[] {
  let now = 0;
  const log = new OutageLog(() => now);
  const times: number[] = [];
  for (; now <= untilMs; now += everyMs) {
    if (log.recordFailure('unreachable')) times.push(now);
  }
  return times;
}

describe('OutageLog', () => {
  describe('recordFailure', () => {
    it('logs the first failure at once', () => {
      const log = new OutageLog(() => 0);

      expect(log.recordFailure('unreachable')).toEqual({ suppressed: 0, failingForMs: 0 });
    });

    it('logs repeats after 1, 5 and 15 minutes, then hourly', () => {
      expect(loggedTimes(15_000, 4 * HOUR_MS)).toEqual([
        0,
        MINUTE_MS,
        5 * MINUTE_MS,
        15 * MINUTE_MS,
        HOUR_MS,
        2 * HOUR_MS,
        3 * HOUR_MS,
        4 * HOUR_MS,
      ]);
    });

    it('counts the attempts left out since the line before', () => {
      let now = 0;
      const log = new OutageLog(() => now);
      log.recordFailure('unreachable');
      for (now = 15_000; now < MINUTE_MS; now += 15_000) {
        expect(log.recordFailure('unreachable')).toBeNull();
      }

      expect(log.recordFailure('unreachable')).toEqual({ suppressed: 3, failingForMs: MINUTE_MS });
    });

    it('logs once per offset when attempts are rarer than the offsets', () => {
      expect(loggedTimes(40 * MINUTE_MS, 3 * HOUR_MS)).toEqual([
        0,
        40 * MINUTE_MS,
        80 * MINUTE_MS,
        120 * MINUTE_MS,
      ]);
    });

    it('logs a failure with another code at once', () => {
      let now = 0;
      const log = new OutageLog(() => now);
      log.recordFailure('unreachable');
      now = 10_000;
      expect(log.recordFailure('unreachable')).toBeNull();
      now = 20_000;

      expect(log.recordFailure('unauthorized')).toEqual({ suppressed: 1, failingForMs: 20_000 });
    });
  });

  describe('recordRecovery', () => {
    it('reports the attempts and duration of the outage', () => {
      let now = 0;
      const log = new OutageLog(() => now);
      log.recordFailure('unreachable');
      now = 90_000;
      log.recordFailure('unreachable');

      expect(log.recordRecovery()).toEqual({ failedAttempts: 2, failingForMs: 90_000 });
    });

    it('reports nothing without a failure', () => {
      expect(new OutageLog(() => 0).recordRecovery()).toBeNull();
    });

    it('rounds the outage time to whole milliseconds', () => {
      let now = 1_000.25;
      const log = new OutageLog(() => now);
      log.recordFailure('unreachable');
      now += 350.027023;

      expect(log.recordFailure('unauthorized')).toEqual({ suppressed: 0, failingForMs: 350 });
      now += 0.6;
      expect(log.recordRecovery()).toEqual({ failedAttempts: 2, failingForMs: 351 });
    });

    it('starts a new outage after a recovery', () => {
      let now = 0;
      const log = new OutageLog(() => now);
      log.recordFailure('unreachable');
      log.recordRecovery();
      now = 30_000;

      expect(log.recordFailure('unreachable')).toEqual({ suppressed: 0, failingForMs: 0 });
    });
  });
});
