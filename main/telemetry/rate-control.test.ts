import { afterEach, describe, expect, it } from 'vitest';

import { FakeClock } from '../../test/support/fake-clock.js';
import { CadenceController } from './cadence-controller.js';
import { RateControl } from './rate-control.js';
import type { RateChange } from './rate-control.js';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;

describe('RateControl', () => {
  let clock: FakeClock;
  let control: RateControl;
  let changes: RateChange[];

  function setUp(settings = {}): void {
    clock = new FakeClock();
    control = new RateControl({ clock, settings });
    changes = [];
    control.onChange((change) => changes.push(change));
  }

  afterEach(() => {
    control.dispose();
    expect(clock.pendingTimers).toBe(0);
  });

  describe('apply', () => {
    it('starts idle at 30 s', () => {
      setUp();
      expect(control.rate).toEqual({ mode: 'idle', intervalSeconds: 30 });
      expect(control.watchWindowActive).toBe(false);
      expect(control.sensorsCadence()).toEqual({ mode: 'idle', intervalSeconds: 30 });
    });

    it('ends a window issued years ahead within four hours', () => {
      setUp();
      const issuedAt = clock.now() + 10 * 365 * 24 * 60 * MINUTE;

      control.apply({ mode: 'watch', issuedAt, expiresAt: issuedAt + 60 * MINUTE });
      clock.advance(4 * 60 * MINUTE - 1);
      expect(control.watchWindowActive).toBe(true);
      clock.advance(1);

      expect(control.watchWindowActive).toBe(false);
      expect(changes.map((change) => change.reason)).toEqual(['applied', 'expired']);
    });

    it('opens a watch window and reports it', () => {
      setUp();
      const issuedAt = clock.now() - 2 * SECOND;
      const result = control.apply({
        mode: 'watch',
        maxHz: 2,
        durationSeconds: 120,
        issuedAt,
        serverUtcNow: clock.now() - 2 * SECOND,
      });

      expect(result).toEqual({
        mode: 'watch',
        intervalSeconds: 0.5,
        durationSeconds: 120,
        requestedAtUtc: '2026-01-01T11:59:58+00:00',
        watchWindowExpires: '2026-01-01T12:02:00+00:00',
      });
      expect(control.watchWindowActive).toBe(true);
      expect(control.sensorsCadence()).toEqual({
        mode: 'watch',
        intervalSeconds: 0.5,
        watchWindowExpires: '2026-01-01T12:02:00+00:00',
      });
      expect(changes).toHaveLength(1);
      expect(changes[0]?.reason).toBe('applied');
      expect(changes[0]?.windowOpened).toBe(true);
    });

    it('reports the uncorrected issuedAt', () => {
      setUp();
      const serverNow = clock.now() + 10 * MINUTE;
      const result = control.apply({
        mode: 'watch',
        durationSeconds: 60,
        issuedAt: serverNow,
        serverUtcNow: serverNow,
      });
      expect(result.requestedAtUtc).toBe('2026-01-01T12:10:00+00:00');
      expect(result.watchWindowExpires).toBe('2026-01-01T12:01:00+00:00');
    });

    it('reports the expiresAt parameter when it applies', () => {
      setUp();
      const serverNow = clock.now() - MINUTE;
      const result = control.apply({
        mode: 'watch',
        issuedAt: serverNow,
        serverUtcNow: serverNow,
        expiresAt: serverNow + 5 * MINUTE,
      });
      expect(result.watchWindowExpires).toBe('2026-01-01T12:04:00+00:00');
      expect(control.rate.expiresAt).toBe(clock.now() + 5 * MINUTE);
    });

    it('reverts to idle for a window that already ended', () => {
      setUp();
      control.apply({ mode: 'watch', durationSeconds: 600 });
      const result = control.apply({ mode: 'watch', expiresAt: clock.now() - SECOND });

      expect(result).toEqual({ mode: 'idle', intervalSeconds: 30 });
      expect(control.rate).toEqual({ mode: 'idle', intervalSeconds: 30 });
      expect(changes.map((change) => change.reason)).toEqual(['applied', 'applied']);
    });

    it('ends a window on an idle request', () => {
      setUp();
      control.apply({ mode: 'watch', durationSeconds: 600 });
      expect(clock.pendingTimers).toBe(1);
      expect(control.apply({ mode: 'idle' })).toEqual({ mode: 'idle', intervalSeconds: 30 });
      expect(clock.pendingTimers).toBe(0);
    });

    it('gives a watch without duration the four hour cap', () => {
      setUp();
      const result = control.apply({ mode: 'watch' });
      expect(result.durationSeconds).toBe(14_400);
      clock.advance(4 * 60 * MINUTE - 1);
      expect(control.watchWindowActive).toBe(true);
      clock.advance(1);
      expect(control.watchWindowActive).toBe(false);
    });

    it('does not notify for an unchanged idle rate', () => {
      setUp();
      control.apply({ mode: 'idle' });
      expect(changes).toEqual([]);
    });
  });

  describe('extend-only', () => {
    it('moves only the expiry for the same watch interval', () => {
      setUp();
      control.apply({ mode: 'watch', intervalSeconds: 0.5, durationSeconds: 60 });
      clock.advance(30 * SECOND);
      const result = control.apply({ mode: 'watch', maxHz: 1.99, durationSeconds: 60 });

      expect(result.intervalSeconds).toBe(0.5);
      expect(result.watchWindowExpires).toBe('2026-01-01T12:01:30+00:00');
      expect(changes.map((change) => change.reason)).toEqual(['applied', 'extended']);
      expect(changes[1]?.windowOpened).toBe(false);

      clock.advance(59 * SECOND);
      expect(control.watchWindowActive).toBe(true);
      clock.advance(SECOND);
      expect(control.watchWindowActive).toBe(false);
    });

    it('applies a new watch interval in full', () => {
      setUp();
      control.apply({ mode: 'watch', intervalSeconds: 1, durationSeconds: 60 });
      control.apply({ mode: 'watch', intervalSeconds: 0.5, durationSeconds: 60 });
      expect(changes.map((change) => change.reason)).toEqual(['applied', 'applied']);
      expect(control.rate.intervalSeconds).toBe(0.5);
    });
  });

  describe('expiry', () => {
    it('reverts to idle when the window ends', () => {
      setUp();
      control.apply({ mode: 'watch', durationSeconds: 90 });
      clock.advance(90 * SECOND);

      expect(control.rate).toEqual({ mode: 'idle', intervalSeconds: 30 });
      expect(changes.at(-1)?.reason).toBe('expired');
      expect(changes.at(-1)?.previous.mode).toBe('watch');
      expect(clock.pendingTimers).toBe(0);
    });

    it('is not moved by a wall clock jump', () => {
      setUp();
      control.apply({ mode: 'watch', durationSeconds: 90 });
      clock.jumpWallClock(3_600 * SECOND);
      clock.advance(89 * SECOND);
      expect(control.watchWindowActive).toBe(true);
    });
  });

  describe('snapshot and restore', () => {
    it('keeps the remaining duration', () => {
      setUp();
      control.apply({ mode: 'watch', intervalSeconds: 0.8, durationSeconds: 30 * 60 });
      clock.advance(10 * MINUTE);
      const snapshot = control.snapshot();
      control.dispose();

      control = new RateControl({ clock });
      control.restore(snapshot);
      expect(control.rate).toEqual({
        mode: 'watch',
        intervalSeconds: 0.8,
        expiresAt: clock.now() + 20 * MINUTE,
      });
      clock.advance(20 * MINUTE);
      expect(control.watchWindowActive).toBe(false);
    });

    it('restores idle once the window is over', () => {
      setUp();
      control.apply({ mode: 'watch', durationSeconds: 60 });
      const snapshot = control.snapshot();
      clock.advance(61 * SECOND);
      control.restore(snapshot);
      expect(control.rate.mode).toBe('idle');
    });

    it('tells listeners about a restored window', () => {
      setUp();
      const snapshot = { mode: 'watch' as const, intervalSeconds: 1, deadline: 60 * SECOND };
      control.restore(snapshot);
      expect(changes[0]?.reason).toBe('restored');
      expect(changes[0]?.windowOpened).toBe(true);
    });
  });

  describe('configure', () => {
    it('applies a new idle interval while idle', () => {
      setUp();
      control.configure({ idleIntervalSeconds: 10 });
      expect(control.rate.intervalSeconds).toBe(10);
      expect(changes[0]?.reason).toBe('reconfigured');
    });

    it('keeps the old value for an invalid setting', () => {
      setUp();
      control.configure({ idleIntervalSeconds: -1 });
      expect(control.rate.intervalSeconds).toBe(30);
    });

    it('floors the idle interval at the sensors minimum', () => {
      setUp({ idleIntervalSeconds: 0.2 });
      expect(control.rate.intervalSeconds).toBe(0.5);
    });
  });

  describe('listeners', () => {
    it('survive a failing listener', () => {
      setUp();
      control.onChange(() => {
        throw new Error('listener failed');
      });
      control.apply({ mode: 'watch', durationSeconds: 60 });
      expect(changes).toHaveLength(1);
    });
  });

  describe('wiring with the cadence controller', () => {
    it('publishes a fresh sensors frame when a window opens', () => {
      setUp();
      const published: number[] = [];
      const cadence = new CadenceController({
        clock,
        publish: () => published.push(clock.monotonic()),
      });
      const body = { sensors: [] };
      control.onChange((change) => {
        cadence.setSensorsInterval(change.rate.intervalSeconds);
        if (!change.windowOpened) return;
        cadence.forceNext('sensors');
        cadence.offer('sensors', body);
      });

      cadence.offer('sensors', body);
      clock.advance(10 * SECOND);
      control.apply({ mode: 'watch', durationSeconds: 5 });
      expect(published).toEqual([0, 10 * SECOND]);

      clock.advance(5 * SECOND);
      expect(cadence.currentSettings.sensorsIntervalSeconds).toBe(30);
      cadence.dispose();
    });
  });
});
