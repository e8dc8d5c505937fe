import { describe, expect, it } from 'vitest';

import { ReconnectSchedule } from './reconnect-schedule.js';

function delays(schedule: ReconnectSchedule, count: number): number[] {
  return Array.from({ length: count }, () => schedule.nextDelayMs());
}

describe('ReconnectSchedule', () => {
  describe('nextDelayMs', () => {
    it('doubles to 30 s, then waits 900 s', () => {
      const schedule = new ReconnectSchedule({ random: () => 1 });

      expect(delays(schedule, 13)).toEqual([
        1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000, 30_000, 30_000, 900_000,
        900_000, 900_000,
      ]);
    });

    it('shortens each wait by at most the jitter ratio', () => {
      const schedule = new ReconnectSchedule({ random: () => 0, jitterRatio: 0.5 });

      const waits = delays(schedule, 11);

      expect(waits.slice(0, 3)).toEqual([500, 1_000, 2_000]);
      expect(waits[10]).toBe(450_000);
    });

    it('keeps the perpetual wait at 60 s or more', () => {
      const schedule = new ReconnectSchedule({
        random: () => 1,
        exponentialAttempts: 0,
        perpetualRetrySeconds: 5,
      });

      expect(schedule.nextDelayMs()).toBe(60_000);
    });

    it('uses a configured perpetual wait', () => {
      const schedule = new ReconnectSchedule({
        random: () => 1,
        exponentialAttempts: 1,
        perpetualRetrySeconds: 120,
      });

      expect(delays(schedule, 3)).toEqual([1_000, 120_000, 120_000]);
    });

    it('reports the perpetual phase', () => {
      const schedule = new ReconnectSchedule({ random: () => 1, exponentialAttempts: 2 });
      delays(schedule, 2);
      expect(schedule.isPerpetual).toBe(false);

      schedule.nextDelayMs();

      expect(schedule.isPerpetual).toBe(true);
      expect(schedule.failedAttempts).toBe(3);
    });
  });

  describe('nextTransientDelayMs', () => {
    it('waits the requested delay without reaching 900 s', () => {
      const schedule = new ReconnectSchedule({ random: () => 0 });

      const waits = Array.from({ length: 20 }, () => schedule.nextTransientDelayMs(5_000));

      expect(new Set(waits)).toEqual(new Set([5_000]));
      expect(schedule.isPerpetual).toBe(false);
      expect(schedule.failedAttempts).toBe(0);
      expect(schedule.transientFailedAttempts).toBe(20);
    });

    it('lengthens the requested delay by up to 20 %', () => {
      const schedule = new ReconnectSchedule({ random: () => 0.5 });

      expect(schedule.nextTransientDelayMs(10_000)).toBe(11_000);
    });

    it('keeps the initial wait as the floor', () => {
      const schedule = new ReconnectSchedule({ random: () => 0, initialSeconds: 2 });

      expect(schedule.nextTransientDelayMs(0)).toBe(2_000);
    });

    it('doubles to 30 s without a requested delay', () => {
      const schedule = new ReconnectSchedule({ random: () => 1 });

      const waits = Array.from({ length: 12 }, () => schedule.nextTransientDelayMs());

      expect(waits).toEqual([
        1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000, 30_000, 30_000, 30_000, 30_000,
      ]);
    });

    it('leaves the count toward 900 s alone', () => {
      const schedule = new ReconnectSchedule({ random: () => 1, exponentialAttempts: 2 });
      expect(schedule.nextDelayMs()).toBe(1_000);

      for (let failure = 0; failure < 5; failure += 1) schedule.nextTransientDelayMs(5_000);

      expect(schedule.nextDelayMs()).toBe(2_000);
      expect(schedule.nextDelayMs()).toBe(900_000);
    });
  });

  describe('reset', () => {
    it('starts over at the initial wait', () => {
      const schedule = new ReconnectSchedule({ random: () => 1 });
      delays(schedule, 12);

      schedule.reset();

      expect(schedule.nextDelayMs()).toBe(1_000);
    });
  });
});
