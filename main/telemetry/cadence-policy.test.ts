import { describe, expect, it } from 'vitest';

import { MAX_TIMER_DELAY_MS } from '../support/clock.js';
import {
  buildDelayMs,
  CADENCE_CHANNELS,
  CADENCE_LIMITS,
  DEFAULT_CADENCE_SETTINGS,
  decideOffer,
  resolveCadenceSettings,
  scheduleFor,
} from './cadence-policy.js';

const settings = resolveCadenceSettings();

describe('cadence policy', () => {
  describe('scheduleFor', () => {
    it('gives status a 2 s min interval and a 60 s heartbeat', () => {
      expect(scheduleFor('status', settings)).toEqual({
        throttled: true,
        minIntervalMs: 2_000,
        heartbeatMs: 60_000,
      });
    });

    it('throttles sensors to the interval with a stale limit of max(300, 5x)', () => {
      expect(scheduleFor('sensors', settings).minIntervalMs).toBe(30_000);
      expect(scheduleFor('sensors', settings).forcePublishAfterMs).toBe(300_000);
      const slow = resolveCadenceSettings({ sensorsIntervalSeconds: 120 });
      expect(scheduleFor('sensors', slow).forcePublishAfterMs).toBe(600_000);
    });

    it('publishes events unthrottled', () => {
      expect(scheduleFor('events', settings).throttled).toBe(false);
    });
  });

  describe('buildDelayMs', () => {
    const status = scheduleFor('status', settings);
    const sensors = scheduleFor('sensors', settings);

    it('builds at once before the first publish', () => {
      expect(buildDelayMs({ forced: false }, status, 500)).toBe(0);
    });

    it('waits for the rest of the min interval', () => {
      expect(buildDelayMs({ forced: false, lastPublishAt: 1_000 }, status, 1_500)).toBe(1_500);
      expect(buildDelayMs({ forced: false, lastPublishAt: 1_000 }, status, 3_000)).toBe(0);
    });

    it('builds events at once', () => {
      const events = scheduleFor('events', settings);

      expect(buildDelayMs({ forced: false, lastPublishAt: 1_000 }, events, 1_000)).toBe(0);
    });

    it('builds at once past the stale limit', () => {
      const limited = { ...sensors, forcePublishAfterMs: 10_000 };

      expect(buildDelayMs({ forced: false, lastPublishAt: 0 }, limited, 10_000)).toBe(0);
      expect(buildDelayMs({ forced: false, lastPublishAt: 0 }, sensors, 10_000)).toBe(20_000);
    });
  });

  describe('decideOffer', () => {
    const status = scheduleFor('status', settings);

    it('publishes the first body', () => {
      expect(decideOffer({ forced: false }, status, 'a', 0)).toEqual({
        action: 'publish',
        reason: 'first',
      });
    });

    it('drops an unchanged body', () => {
      const state = { forced: false, lastPublishAt: 0, publishedKey: 'a' };
      expect(decideOffer(state, status, 'a', 10_000)).toEqual({ action: 'drop' });
    });

    it('defers a change inside the min interval', () => {
      const state = { forced: false, lastPublishAt: 0, publishedKey: 'a' };
      expect(decideOffer(state, status, 'b', 500)).toEqual({ action: 'defer', delayMs: 1_500 });
    });

    it('publishes a change after the min interval', () => {
      const state = { forced: false, lastPublishAt: 0, publishedKey: 'a' };
      expect(decideOffer(state, status, 'b', 2_000)).toEqual({
        action: 'publish',
        reason: 'changed',
      });
    });

    it('publishes a forced unchanged body after the min interval', () => {
      const state = { forced: true, lastPublishAt: 0, publishedKey: 'a' };
      expect(decideOffer(state, status, 'a', 1_000)).toEqual({ action: 'defer', delayMs: 1_000 });
      expect(decideOffer(state, status, 'a', 2_000)).toEqual({
        action: 'publish',
        reason: 'forced',
      });
    });

    it('publishes a stale sensors change', () => {
      const sensors = { throttled: true, minIntervalMs: 900_000, forcePublishAfterMs: 300_000 };
      const state = { forced: false, lastPublishAt: 0, publishedKey: 'a' };
      expect(decideOffer(state, sensors, 'b', 300_000)).toEqual({
        action: 'publish',
        reason: 'stale',
      });
    });

    it('publishes events at once', () => {
      const state = { forced: false, lastPublishAt: 0, publishedKey: 'a' };
      expect(decideOffer(state, scheduleFor('events', settings), 'a', 1)).toEqual({
        action: 'publish',
        reason: 'immediate',
      });
    });
  });

  describe('resolveCadenceSettings', () => {
    it('keeps the base for missing and non-finite values', () => {
      const resolved = resolveCadenceSettings({
        statusHeartbeatSeconds: Number.NaN,
        sensorsIntervalSeconds: Number.POSITIVE_INFINITY,
        objectsMinIntervalSeconds: 3,
      });
      expect(resolved).toEqual({ ...DEFAULT_CADENCE_SETTINGS, objectsMinIntervalSeconds: 3 });
    });

    it('clamps values below their range to the minimum', () => {
      const resolved = resolveCadenceSettings({
        statusMinIntervalSeconds: -1,
        statusHeartbeatSeconds: 0.2,
        sensorsIntervalSeconds: 0.05,
        objectsMinIntervalSeconds: -3,
      });
      expect(resolved).toEqual({
        statusMinIntervalSeconds: 0,
        statusHeartbeatSeconds: 1,
        sensorsIntervalSeconds: 0.1,
        objectsMinIntervalSeconds: 0,
      });
    });

    it('clamps values above their range to the maximum', () => {
      const resolved = resolveCadenceSettings({
        statusMinIntervalSeconds: 1e6,
        statusHeartbeatSeconds: 1e7,
        sensorsIntervalSeconds: 10_000_000,
        objectsMinIntervalSeconds: 1e9,
      });
      expect(resolved).toEqual({
        statusMinIntervalSeconds: CADENCE_LIMITS.statusMinIntervalSeconds.max,
        statusHeartbeatSeconds: CADENCE_LIMITS.statusHeartbeatSeconds.max,
        sensorsIntervalSeconds: CADENCE_LIMITS.sensorsIntervalSeconds.max,
        objectsMinIntervalSeconds: CADENCE_LIMITS.objectsMinIntervalSeconds.max,
      });
    });

    it('keeps every schedule within the timer limit at the maximum', () => {
      const slowest = resolveCadenceSettings({
        statusMinIntervalSeconds: Number.MAX_VALUE,
        statusHeartbeatSeconds: Number.MAX_VALUE,
        sensorsIntervalSeconds: Number.MAX_VALUE,
        objectsMinIntervalSeconds: Number.MAX_VALUE,
      });
      for (const channel of CADENCE_CHANNELS) {
        const schedule = scheduleFor(channel, slowest);
        const delays = [schedule.minIntervalMs, schedule.heartbeatMs, schedule.forcePublishAfterMs];
        for (const delayMs of delays) {
          expect(delayMs ?? 0, channel).toBeLessThanOrEqual(MAX_TIMER_DELAY_MS);
        }
      }
    });
  });
});
