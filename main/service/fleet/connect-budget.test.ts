import { afterEach, describe, expect, it } from 'vitest';

import { FakeClock, flushMicrotasks } from '../../../test/support/fake-clock.js';
import { fakeConnect, type FakeMqttClient } from '../../cloud/__testing__/fake-mqtt-client.js';
import { FakeTokenSource, settle } from '../../cloud/__testing__/fake-token-source.js';
import { DeviceConnection } from '../../cloud/device-connection.js';
import { CodedError } from '../../support/coded-error.js';
import { silentLogger } from '../../support/logger.js';
import { busiestWindow } from './__testing__/busiest-window.js';
import { admissionSpanMs, DEFAULT_ADMISSION_LIMITS } from './admission-schedule.js';
import { ConnectBudget } from './connect-budget.js';

const budgets: ConnectBudget[] = [];
const connections: DeviceConnection[] = [];

function createBudget(clock: FakeClock, options: { ratePerSecond?: number; burst?: number } = {}) {
  const budget = new ConnectBudget({ clock, ...options });
  budgets.push(budget);
  return budget;
}

/** Starts acquiring and records the fake time at which each request got through. */
function acquireMany(budget: ConnectBudget, clock: FakeClock, count: number): number[] {
  const admittedAt: number[] = [];
  for (let index = 0; index < count; index += 1) {
    budget.acquire().then(
      () => admittedAt.push(clock.monotonic()),
      () => undefined,
    );
  }
  return admittedAt;
}

afterEach(async () => {
  for (const connection of connections.splice(0)) connection.dispose();
  for (const budget of budgets.splice(0)) budget.dispose();
  await settle();
});

describe('ConnectBudget', () => {
  describe('acquire', () => {
    it('admits a full burst at once', async () => {
      const clock = new FakeClock();
      const budget = createBudget(clock, { ratePerSecond: 10, burst: 4 });

      const admittedAt = acquireMany(budget, clock, 5);
      await flushMicrotasks();

      expect(admittedAt).toEqual([0, 0, 0, 0]);
      expect(budget.waiting).toBe(1);
    });

    it('admits the next request when a token has been refilled', async () => {
      const clock = new FakeClock();
      const budget = createBudget(clock, { ratePerSecond: 10, burst: 1 });

      const admittedAt = acquireMany(budget, clock, 3);
      await clock.advanceAsync(250);

      expect(admittedAt).toEqual([0, 100, 200]);
    });

    it('admits waiting requests in the order they asked', async () => {
      const clock = new FakeClock();
      const budget = createBudget(clock, { ratePerSecond: 1, burst: 1 });
      const order: string[] = [];
      for (const name of ['a', 'b', 'c']) void budget.acquire().then(() => order.push(name));

      await clock.advanceAsync(2_000);

      expect(order).toEqual(['a', 'b', 'c']);
    });

    it('gives the place up when the signal aborts', async () => {
      const clock = new FakeClock();
      const budget = createBudget(clock, { ratePerSecond: 1, burst: 1 });
      await budget.acquire();
      const controller = new AbortController();
      const abandoned = budget.acquire(controller.signal);
      const next = acquireMany(budget, clock, 1);

      controller.abort(new Error('connection stopped'));

      await expect(abandoned).rejects.toThrow('connection stopped');
      await clock.advanceAsync(1_000);
      expect(next).toEqual([1_000]);
      expect(budget.waiting).toBe(0);
    });

    it('rejects waiting requests once disposed', async () => {
      const clock = new FakeClock();
      const budget = createBudget(clock, { burst: 1 });
      await budget.acquire();
      const waiting = budget.acquire();

      budget.dispose();

      const error = await waiting.catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(CodedError);
      expect((error as CodedError).code).toBe('budget_disposed');
      expect((error as CodedError).message).toBe('The connect budget was disposed');
      expect(clock.pendingTimers).toBe(0);
    });
  });

  describe('hold', () => {
    it('counts a held admission until it is released', async () => {
      const clock = new FakeClock();
      const budget = createBudget(clock, { ratePerSecond: 2, burst: 2 });
      const first = await budget.hold();
      const second = await budget.hold();
      const next = acquireMany(budget, clock, 1);

      await clock.advanceAsync(5_000);
      expect(next).toEqual([]);
      first.release();
      await clock.advanceAsync(999);
      expect(next).toEqual([]);
      await clock.advanceAsync(1);

      expect(next).toEqual([6_000]);
      second.release();
    });

    it('lets the next one through while a held one waits for its connect', async () => {
      const clock = new FakeClock();
      const budget = createBudget(clock, { ratePerSecond: 2, burst: 2 });
      await budget.hold();

      const next = acquireMany(budget, clock, 2);
      await clock.advanceAsync(1_000);

      expect(next).toEqual([0, 1_000]);
    });

    it('releases a held admission after the longest hold', async () => {
      const clock = new FakeClock();
      const budget = new ConnectBudget({ clock, ratePerSecond: 1, burst: 1, maxHoldMs: 10_000 });
      budgets.push(budget);
      await budget.hold();
      const next = acquireMany(budget, clock, 1);

      await clock.advanceAsync(10_999);
      expect(next).toEqual([]);
      await clock.advanceAsync(1);

      expect(next).toEqual([11_000]);
    });

    it('ignores a second release', async () => {
      const clock = new FakeClock();
      const budget = createBudget(clock, { ratePerSecond: 1, burst: 1 });
      const held = await budget.hold();
      held.release();
      held.release();
      const next = acquireMany(budget, clock, 2);

      await clock.advanceAsync(2_000);

      expect(next).toEqual([1_000, 2_000]);
    });

    it('rejects a waiting hold once disposed', async () => {
      const clock = new FakeClock();
      const budget = createBudget(clock, { burst: 1 });
      await budget.hold();
      const waiting = budget.hold();

      budget.dispose();

      await expect(waiting).rejects.toMatchObject({
        code: 'budget_disposed',
        message: 'The connect budget was disposed',
      });
      expect(clock.pendingTimers).toBe(0);
    });
  });

  describe('constructor', () => {
    it('rejects a rate that is not positive', () => {
      const clock = new FakeClock();
      let thrown: unknown;
      try {
        createBudget(clock, { ratePerSecond: 0 });
      } catch (error) {
        thrown = error;
      }
      expect((thrown as CodedError).code).toBe('invalid_budget');
      expect((thrown as CodedError).message).toBe(
        'Invalid connect budget: ratePerSecond must be a positive number, got 0',
      );
    });
  });

  describe('spread', () => {
    it('computes 19 s for 200 requests at 10 per second with a burst of 10', () => {
      expect(admissionSpanMs(200, DEFAULT_ADMISSION_LIMITS)).toBe(19_000);
      expect(admissionSpanMs(200, { ratePerSecond: 10, burst: 1 })).toBe(19_900);
      expect(admissionSpanMs(10, DEFAULT_ADMISSION_LIMITS)).toBe(0);
    });

    it('keeps every rolling second at the rate for a burst below it', async () => {
      const clock = new FakeClock();
      const limits = { ratePerSecond: 10, burst: 5 };
      const budget = createBudget(clock, limits);

      const admittedAt = acquireMany(budget, clock, 100);
      await clock.advanceAsync(admissionSpanMs(100, limits));

      expect(admittedAt).toHaveLength(100);
      expect(busiestWindow(admittedAt, 1_000)).toBeLessThanOrEqual(10);
    });
  });
});

describe('ConnectBudget with 200 device connections', () => {
  const FLEET_SIZE = 200;

  function startFleet(clock: FakeClock, budget: ConnectBudget) {
    const attempts: number[] = [];
    const clients: FakeMqttClient[] = [];
    for (let index = 0; index < FLEET_SIZE; index += 1) {
      const fake = fakeConnect([], { kind: 'accept' });
      const connection = new DeviceConnection({
        brokerUrl: 'mqtt://127.0.0.1:1883',
        deviceId: `device-${index}`,
        tokens: new FakeTokenSource(),
        clock,
        logger: silentLogger,
        random: () => 1,
        willPayload: () => 'offline',
        connectGate: (signal) => budget.acquire(signal),
        mqttConnect: (url, options) => {
          attempts.push(clock.monotonic());
          const client = fake.connect(url, options) as FakeMqttClient;
          clients.push(client);
          return client;
        },
      });
      connections.push(connection);
      connection.start();
    }
    return { attempts, clients };
  }

  function connectedCount(): number {
    return connections.filter((connection) => connection.state === 'connected').length;
  }

  /** Runs the fake clock in 100 ms steps, letting the connections react in between. */
  async function runFor(clock: FakeClock, durationMs: number): Promise<void> {
    for (let elapsed = 0; elapsed < durationMs; elapsed += 100) {
      await clock.advanceAsync(100);
      await settle(2);
    }
  }

  it('spreads the first connects at the budget rate', async () => {
    const clock = new FakeClock();
    const budget = createBudget(clock);
    const spanMs = admissionSpanMs(FLEET_SIZE, DEFAULT_ADMISSION_LIMITS);

    const { attempts } = startFleet(clock, budget);
    await settle(2);
    await runFor(clock, spanMs);

    expect(attempts).toHaveLength(FLEET_SIZE);
    expect(connectedCount()).toBe(FLEET_SIZE);
    expect(Math.max(...attempts)).toBe(spanMs);
    expect(busiestWindow(attempts, 1_000)).toBe(DEFAULT_ADMISSION_LIMITS.ratePerSecond);
  });

  it('spreads the reconnects after a broker outage at the budget rate', async () => {
    const clock = new FakeClock();
    const budget = createBudget(clock);
    const spanMs = admissionSpanMs(FLEET_SIZE, DEFAULT_ADMISSION_LIMITS);
    const { attempts, clients } = startFleet(clock, budget);
    await settle(2);
    await runFor(clock, spanMs + 60_000);
    expect(connectedCount()).toBe(FLEET_SIZE);

    const outageAt = clock.monotonic();
    for (const client of [...clients]) client.close();
    await settle(2);
    expect(connectedCount()).toBe(DEFAULT_ADMISSION_LIMITS.burst);
    await runFor(clock, spanMs);

    const reconnects = attempts.slice(FLEET_SIZE);
    expect(reconnects).toHaveLength(FLEET_SIZE);
    expect(connectedCount()).toBe(FLEET_SIZE);
    expect(Math.max(...reconnects) - outageAt).toBe(spanMs);
    expect(busiestWindow(reconnects, 1_000)).toBe(DEFAULT_ADMISSION_LIMITS.ratePerSecond);
  });
});
