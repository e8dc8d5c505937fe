import { afterEach, describe, expect, it } from 'vitest';

import { FakeClock } from '../../../test/support/fake-clock.js';
import { settle } from '../../cloud/__testing__/fake-token-source.js';
import { silentLogger } from '../../support/logger.js';
import { busiestWindow } from './__testing__/busiest-window.js';
import { ConnectingBridgeFactory } from './__testing__/connecting-bridge.js';
import { DEFAULT_ADMISSION_LIMITS } from './admission-schedule.js';
import type { FleetPrinter } from './fleet-bridge.js';
import { FleetRuntime } from './fleet-runtime.js';

const FLEET_SIZE = 200;
/** The first ten printers wait 2 s for their first token, the others get it at once. */
const SLOW_TOKENS = 10;
const TOKEN_LATENCY_MS = 2_000;

let runtime: FleetRuntime | undefined;

afterEach(async () => {
  await runtime?.stop();
  runtime = undefined;
  await settle();
});

function printer(index: number): FleetPrinter {
  const id = String(index).padStart(3, '0');
  return {
    id: `id-${id}`,
    name: `p${index}`,
    moonrakerUrl: `http://printer-${id}.local:7125`,
    enabled: true,
    credentials: {
      deviceId: `00000000-0000-0000-0000-000000000${id}`,
      printerId: `printer-${id}`,
      devicePrivateKey: Buffer.alloc(32).toString('base64'),
    },
  };
}

function startRuntime(clock: FakeClock, factory: ConnectingBridgeFactory): FleetRuntime {
  runtime = new FleetRuntime({
    cloud: { baseUrl: 'http://127.0.0.1:9', brokerUrl: 'mqtt://127.0.0.1:1883' },
    dataDir: '/nonexistent/owl',
    version: '0.1.0-test',
    clock,
    logger: silentLogger,
    random: () => 0.5,
    createBridge: factory.create,
    localNetwork: () => Promise.resolve(undefined),
  });
  return runtime;
}

/** Runs the fake clock in 100 ms steps, letting the connections react in between. */
async function runFor(clock: FakeClock, durationMs: number): Promise<void> {
  for (let elapsed = 0; elapsed < durationMs; elapsed += 100) {
    await clock.advanceAsync(100);
    await settle(2);
  }
}

describe('FleetRuntime connect budget', () => {
  it('keeps the first connects at the rate when tokens arrive late', async () => {
    const clock = new FakeClock();
    const factory = new ConnectingBridgeFactory(clock, (name) =>
      Number(name.slice(1)) < SLOW_TOKENS ? TOKEN_LATENCY_MS : 0,
    );
    const fleet = startRuntime(clock, factory);

    for (let index = 0; index < FLEET_SIZE; index += 1) fleet.add(printer(index));
    await settle(2);
    await runFor(clock, 40_000);

    expect(factory.connects).toHaveLength(FLEET_SIZE);
    expect(factory.bridges.filter((bridge) => bridge.connected)).toHaveLength(FLEET_SIZE);
    expect(busiestWindow(factory.connects, 1_000)).toBe(DEFAULT_ADMISSION_LIMITS.ratePerSecond);
  });

  it('spreads the reconnects after a broker outage at the rate', async () => {
    const clock = new FakeClock();
    const factory = new ConnectingBridgeFactory(clock, () => 0);
    const fleet = startRuntime(clock, factory);
    for (let index = 0; index < FLEET_SIZE; index += 1) fleet.add(printer(index));
    await settle(2);
    await runFor(clock, 60_000);
    expect(factory.connects).toHaveLength(FLEET_SIZE);

    for (const client of [...factory.clients]) client.close();
    await settle(2);
    await runFor(clock, 60_000);

    const reconnects = factory.connects.slice(FLEET_SIZE);
    expect(reconnects).toHaveLength(FLEET_SIZE);
    expect(busiestWindow(reconnects, 1_000)).toBe(DEFAULT_ADMISSION_LIMITS.ratePerSecond);
    expect(Math.max(...reconnects) - Math.min(...reconnects)).toBeGreaterThanOrEqual(19_000);
  });
});
