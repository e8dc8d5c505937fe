import { describe, expect, it } from 'vitest';

import { DEFAULT_RATE_SETTINGS, planRate } from './rate-plan.js';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const SECOND = 1_000;
const settings = DEFAULT_RATE_SETTINGS;

describe('planRate', () => {
  describe('idle', () => {
    it('uses the configured idle interval', () => {
      const plan = planRate({ mode: 'idle', maxHz: 5, durationSeconds: 60 }, NOW, settings);
      expect(plan.rate).toEqual({ mode: 'idle', intervalSeconds: 30 });
      expect(plan.expiredOnArrival).toBe(false);
    });
  });

  describe('watch interval', () => {
    it.each([
      [{}, 1],
      [{ maxHz: 10 }, 0.5],
      [{ maxHz: 1.25 }, 0.8],
      [{ maxHz: 0.2 }, 1],
      [{ maxHz: 0 }, 1],
      [{ intervalSeconds: 0.75 }, 0.75],
      [{ intervalSeconds: 0.1 }, 0.5],
      [{ intervalSeconds: 5 }, 1],
      [{ intervalSeconds: 0.6, maxHz: 1 }, 0.6],
    ])('turns %o into %d s', (rate, interval) => {
      const plan = planRate({ mode: 'watch', durationSeconds: 60, ...rate }, NOW, settings);
      expect(plan.rate.intervalSeconds).toBe(interval);
    });
  });

  describe('watch window', () => {
    it('ends duration seconds after the request', () => {
      const plan = planRate({ mode: 'watch', durationSeconds: 300 }, NOW, settings);
      expect(plan.rate.expiresAt).toBe(NOW + 300 * SECOND);
      expect(plan.durationSeconds).toBe(300);
      expect(plan.reportedExpiry).toBe(NOW + 300 * SECOND);
    });

    it('corrects issuedAt for the server clock skew', () => {
      const serverNow = NOW - 120 * SECOND;
      const plan = planRate(
        {
          mode: 'watch',
          durationSeconds: 60,
          issuedAt: serverNow - 5 * SECOND,
          serverUtcNow: serverNow,
        },
        NOW,
        settings,
      );
      expect(plan.rate.expiresAt).toBe(NOW + 55 * SECOND);
    });

    it('takes issuedAt as it is without serverUtcNow', () => {
      const plan = planRate(
        { mode: 'watch', durationSeconds: 60, issuedAt: NOW - 10 * SECOND },
        NOW,
        settings,
      );
      expect(plan.rate.expiresAt).toBe(NOW + 50 * SECOND);
    });

    it('lets expiresAt override the duration', () => {
      const serverNow = NOW + 30 * SECOND;
      const expiresAt = serverNow + 600 * SECOND;
      const plan = planRate(
        {
          mode: 'watch',
          durationSeconds: 60,
          issuedAt: serverNow,
          serverUtcNow: serverNow,
          expiresAt,
        },
        NOW,
        settings,
      );
      expect(plan.rate.expiresAt).toBe(NOW + 600 * SECOND);
      expect(plan.durationSeconds).toBe(600);
      expect(plan.reportedExpiry).toBe(expiresAt);
    });

    it('reverts to idle for an expiresAt in the past', () => {
      const plan = planRate({ mode: 'watch', expiresAt: NOW - SECOND }, NOW, settings);
      expect(plan.expiredOnArrival).toBe(true);
      expect(plan.rate).toEqual({ mode: 'idle', intervalSeconds: 30 });
    });

    it('reverts to idle when the window ended before arrival', () => {
      const plan = planRate(
        { mode: 'watch', durationSeconds: 60, issuedAt: NOW - 61 * SECOND },
        NOW,
        settings,
      );
      expect(plan.expiredOnArrival).toBe(true);
      expect(plan.rate.mode).toBe('idle');
    });

    it('gives a watch without duration the maximum window', () => {
      for (const durationSeconds of [undefined, 0, -5]) {
        const plan = planRate({ mode: 'watch', durationSeconds }, NOW, settings);
        expect(plan.rate.expiresAt).toBe(NOW + 4 * 3_600 * SECOND);
        expect(plan.durationSeconds).toBe(14_400);
      }
    });

    it('caps a long window and reports the capped expiry', () => {
      const plan = planRate({ mode: 'watch', expiresAt: NOW + 24 * 3_600 * SECOND }, NOW, settings);
      expect(plan.rate.expiresAt).toBe(NOW + 14_400 * SECOND);
      expect(plan.reportedExpiry).toBe(NOW + 14_400 * SECOND);
    });

    it('rounds a fractional window up to whole seconds', () => {
      const plan = planRate({ mode: 'watch', expiresAt: NOW + 1_500 }, NOW, settings);
      expect(plan.durationSeconds).toBe(2);
    });

    it('starts a window issued in the future now', () => {
      const plan = planRate(
        { mode: 'watch', durationSeconds: 60, issuedAt: NOW + 3_650 * 86_400 * SECOND },
        NOW,
        settings,
      );
      expect(plan.rate.expiresAt).toBe(NOW + 60 * SECOND);
      expect(plan.durationSeconds).toBe(60);
    });

    it('caps a window issued and expiring far in the future', () => {
      const issuedAt = NOW + 3_650 * 86_400 * SECOND;
      const plan = planRate(
        { mode: 'watch', issuedAt, expiresAt: issuedAt + 3_600 * SECOND },
        NOW,
        settings,
      );
      expect(plan.rate.expiresAt).toBe(NOW + 14_400 * SECOND);
      expect(plan.durationSeconds).toBe(14_400);
      expect(plan.reportedExpiry).toBe(NOW + 14_400 * SECOND);
    });

    it('ignores timestamps that are not finite', () => {
      const plan = planRate(
        { mode: 'watch', durationSeconds: 60, issuedAt: Number.NaN, expiresAt: Number.NaN },
        NOW,
        settings,
      );
      expect(plan.rate.expiresAt).toBe(NOW + 60 * SECOND);
    });
  });
});
