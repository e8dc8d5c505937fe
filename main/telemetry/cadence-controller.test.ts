import { afterEach, describe, expect, it } from 'vitest';

import { FakeClock } from '../../test/support/fake-clock.js';
import { captureLogger } from '../moonraker/__testing__/recorders.js';
import { CadenceController } from './cadence-controller.js';
import type { CadenceChannel } from './cadence-policy.js';

interface Body {
  value: number;
  elapsed?: number;
}

interface Published {
  at: number;
  channel: CadenceChannel;
  body: Body;
}

describe('CadenceController', () => {
  let clock: FakeClock;
  let published: Published[];
  let controller: CadenceController<Body>;

  function setUp(settings = {}): void {
    clock = new FakeClock();
    published = [];
    controller = new CadenceController<Body>({
      clock,
      settings,
      publish: (channel, body) => published.push({ at: clock.monotonic(), channel, body }),
    });
  }

  function statusKey(body: Body): string {
    return String(body.value);
  }

  function offerStatus(value: number, elapsed?: number): void {
    const body = { value, elapsed };
    controller.offer('status', body, statusKey(body));
  }

  afterEach(() => {
    controller.dispose();
    expect(clock.pendingTimers).toBe(0);
  });

  describe('status', () => {
    it('publishes the first body at once', () => {
      setUp();
      offerStatus(1);
      expect(published).toEqual([{ at: 0, channel: 'status', body: { value: 1 } }]);
    });

    it('publishes a change after 2 s at once', () => {
      setUp();
      offerStatus(1);
      clock.advance(2_000);
      offerStatus(2);
      expect(published.map((entry) => entry.at)).toEqual([0, 2_000]);
    });

    it('sends the latest body on the trailing edge', () => {
      setUp();
      offerStatus(1);
      clock.advance(500);
      offerStatus(2);
      clock.advance(500);
      offerStatus(3);
      expect(published).toHaveLength(1);
      expect(clock.pendingTimers).toBe(2);

      clock.advance(1_000);
      expect(published.at(-1)).toEqual({ at: 2_000, channel: 'status', body: { value: 3 } });
      expect(published).toHaveLength(2);
    });

    it('drops a body whose contract did not change', () => {
      setUp();
      offerStatus(1, 10);
      clock.advance(5_000);
      expect(controller.offer('status', { value: 1, elapsed: 15 }, '1')).toEqual({
        action: 'drop',
      });
      expect(published).toHaveLength(1);
    });

    it('cancels a pending publish when the body changes back', () => {
      setUp();
      offerStatus(1);
      clock.advance(500);
      offerStatus(2);
      offerStatus(1);
      clock.advance(10_000);
      expect(published).toHaveLength(1);
    });

    it('re-sends the latest unchanged body every heartbeat', () => {
      setUp();
      offerStatus(1, 0);
      clock.advance(30_000);
      offerStatus(1, 30);
      clock.advance(30_000);
      clock.advance(60_000);

      expect(published.map((entry) => entry.at)).toEqual([0, 60_000, 120_000]);
      expect(published[1]?.body).toEqual({ value: 1, elapsed: 30 });
    });

    it('counts the heartbeat from the last publish', () => {
      setUp();
      offerStatus(1);
      clock.advance(50_000);
      offerStatus(2);
      clock.advance(59_999);
      expect(published).toHaveLength(2);
      clock.advance(1);
      expect(published.map((entry) => entry.at)).toEqual([0, 50_000, 110_000]);
    });

    it('uses a configured heartbeat and min interval', () => {
      setUp({ statusHeartbeatSeconds: 10, statusMinIntervalSeconds: 5 });
      offerStatus(1);
      clock.advance(1_000);
      offerStatus(2);
      clock.advance(4_000);
      clock.advance(10_000);
      expect(published.map((entry) => entry.at)).toEqual([0, 5_000, 15_000]);
    });
  });

  describe('sensors', () => {
    it('throttles changes to the sensors interval', () => {
      setUp();
      controller.offer('sensors', { value: 1 });
      clock.advance(1_000);
      controller.offer('sensors', { value: 2 });
      clock.advance(10_000);
      controller.offer('sensors', { value: 3 });
      expect(published).toHaveLength(1);

      clock.advance(19_000);
      expect(published.at(-1)).toEqual({ at: 30_000, channel: 'sensors', body: { value: 3 } });
    });

    it('has no heartbeat', () => {
      setUp();
      controller.offer('sensors', { value: 1 });
      clock.advance(3_600_000);
      expect(published).toHaveLength(1);
      expect(clock.pendingTimers).toBe(0);
    });

    it('moves a pending publish to a shorter interval', () => {
      setUp();
      controller.offer('sensors', { value: 1 });
      clock.advance(2_000);
      controller.offer('sensors', { value: 2 });
      controller.setSensorsInterval(1);
      clock.advance(0);
      expect(published.map((entry) => entry.at)).toEqual([0, 2_000]);
    });

    it('publishes at the watch interval', () => {
      setUp({ sensorsIntervalSeconds: 0.5 });
      for (let step = 0; step < 10; step += 1) {
        controller.offer('sensors', { value: step });
        clock.advance(100);
      }
      clock.advance(1_000);
      expect(published.map((entry) => entry.at)).toEqual([0, 500, 1_000]);
      expect(published.at(-1)?.body).toEqual({ value: 9 });
    });
  });

  describe('events', () => {
    it('publishes every body at once', () => {
      setUp();
      controller.offer('events', { value: 1 });
      controller.offer('events', { value: 1 });
      expect(published).toHaveLength(2);
      expect(clock.pendingTimers).toBe(0);
    });
  });

  describe('offerWhenDue', () => {
    let builds: number;
    let value: number;

    function offerLazily(): void {
      controller.offerWhenDue('status', () => {
        builds += 1;
        return { body: { value }, changeKey: String(value) };
      });
    }

    function setUpLazy(): void {
      setUp();
      builds = 0;
      value = 1;
    }

    it('builds and publishes the first body at once', () => {
      setUpLazy();
      offerLazily();

      expect(builds).toBe(1);
      expect(published).toEqual([{ at: 0, channel: 'status', body: { value: 1 } }]);
    });

    it('builds nothing inside the min interval', () => {
      setUpLazy();
      offerLazily();
      for (let step = 1; step <= 7; step += 1) {
        clock.advance(250);
        value = step + 1;
        offerLazily();
      }
      expect(builds).toBe(1);

      clock.advance(250);
      expect(builds).toBe(2);
      expect(published.at(-1)).toEqual({ at: 2_000, channel: 'status', body: { value: 8 } });
    });

    it('drops an unchanged body built at the end of the interval', () => {
      setUpLazy();
      offerLazily();
      clock.advance(500);
      offerLazily();
      clock.advance(1_500);

      expect(builds).toBe(2);
      expect(published).toHaveLength(1);
    });

    it('builds once after the min interval when the body did not change', () => {
      setUpLazy();
      offerLazily();
      clock.advance(5_000);
      offerLazily();
      offerLazily();

      expect(builds).toBe(2);
      expect(published).toHaveLength(1);
    });

    it('builds an unchanged body again one second later and publishes what changed', () => {
      setUpLazy();
      offerLazily();
      clock.advance(5_000);
      offerLazily();
      value = 2;
      for (let step = 0; step < 3; step += 1) {
        clock.advance(250);
        offerLazily();
      }
      expect(builds).toBe(2);

      clock.advance(250);

      expect(builds).toBe(3);
      expect(published.map((entry) => [entry.at, entry.body])).toEqual([
        [0, { value: 1 }],
        [6_000, { value: 2 }],
      ]);
    });

    it('builds a forced body at once even right after an unchanged build', () => {
      setUpLazy();
      offerLazily();
      clock.advance(5_000);
      offerLazily();
      controller.forceNext('status');
      offerLazily();

      expect(builds).toBe(3);
      expect(published.map((entry) => entry.at)).toEqual([0, 5_000]);
    });

    it('builds a fresh body for the heartbeat', () => {
      setUpLazy();
      offerLazily();
      clock.advance(30_000);
      offerLazily();
      value = 1;
      clock.advance(30_000);

      expect(builds).toBe(3);
      expect(published.map((entry) => entry.at)).toEqual([0, 60_000]);
    });

    it('logs a source that throws and keeps running', () => {
      const capture = captureLogger();
      clock = new FakeClock();
      published = [];
      controller = new CadenceController<Body>({
        clock,
        logger: capture.logger,
        publish: (channel, body) => published.push({ at: clock.monotonic(), channel, body }),
      });
      controller.offerWhenDue('status', () => {
        throw new Error('state unreadable');
      });
      controller.offerWhenDue('status', () => ({ body: { value: 2 }, changeKey: '2' }));

      expect(published).toHaveLength(1);
      expect(capture.lines).toContainEqual(
        expect.objectContaining({ msg: 'Building the body failed', err: 'state unreadable' }),
      );
    });
  });

  describe('forceNext', () => {
    it('publishes an unchanged body once', () => {
      setUp();
      offerStatus(1);
      clock.advance(5_000);
      controller.forceNext('status');
      offerStatus(1);
      offerStatus(1);
      expect(published.map((entry) => entry.at)).toEqual([0, 5_000]);
    });

    it('still respects the min interval', () => {
      setUp();
      offerStatus(1);
      controller.forceNext('status');
      offerStatus(1);
      expect(published).toHaveLength(1);
      clock.advance(2_000);
      expect(published.map((entry) => entry.at)).toEqual([0, 2_000]);
    });
  });

  describe('reset', () => {
    it('forces the first status and sensors publish', () => {
      setUp();
      offerStatus(1);
      controller.offer('sensors', { value: 1 });
      clock.advance(500);
      controller.reset();
      expect(clock.pendingTimers).toBe(0);

      offerStatus(1);
      controller.offer('sensors', { value: 1 });
      expect(published.map((entry) => entry.channel)).toEqual([
        'status',
        'sensors',
        'status',
        'sensors',
      ]);
    });

    it('drops a pending publish from before the reset', () => {
      setUp();
      offerStatus(1);
      offerStatus(2);
      controller.reset();
      clock.advance(10_000);
      expect(published).toHaveLength(1);
    });

    it('keeps the configured sensors interval', () => {
      setUp();
      controller.setSensorsInterval(1);
      controller.reset();
      expect(controller.currentSettings.sensorsIntervalSeconds).toBe(1);
    });
  });

  describe('publish errors', () => {
    it('keeps running when the callback throws', () => {
      clock = new FakeClock();
      let calls = 0;
      controller = new CadenceController<Body>({
        clock,
        publish: () => {
          calls += 1;
          throw new Error('broker gone');
        },
      });
      controller.offer('events', { value: 1 });
      controller.offer('events', { value: 2 });
      expect(calls).toBe(2);
    });
  });

  describe('dispose', () => {
    it('leaves no timers and ignores later offers', () => {
      setUp();
      offerStatus(1);
      offerStatus(2);
      controller.offer('sensors', { value: 1 });
      controller.offer('sensors', { value: 2 });
      controller.dispose();
      expect(clock.pendingTimers).toBe(0);

      offerStatus(3);
      clock.advance(120_000);
      expect(published).toHaveLength(2);
    });
  });
});
