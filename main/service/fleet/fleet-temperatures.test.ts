import { afterEach, describe, expect, it } from 'vitest';

import { FakeClock } from '../../../test/support/fake-clock.js';
import { settle } from '../../cloud/__testing__/fake-token-source.js';
import { silentLogger } from '../../support/logger.js';
import { FakeBridgeFactory } from './__testing__/fake-bridge.js';
import type { FleetPrinter } from './fleet-bridge.js';
import { FleetRuntime } from './fleet-runtime.js';

const runtimes: FleetRuntime[] = [];

const PRINTER: FleetPrinter = {
  id: 'id-a',
  name: 'a',
  moonrakerUrl: 'http://a.local:7125',
  enabled: true,
  credentials: { deviceId: 'device-a', printerId: 'printer-a', devicePrivateKey: 'k' },
};

const HOT = [
  { name: 'extruder', value: 214.8, target: 215 },
  { name: 'heater_bed', value: 60, target: 60 },
];

async function runningPrinter() {
  const clock = new FakeClock();
  const factory = new FakeBridgeFactory();
  const runtime = new FleetRuntime({
    cloud: { baseUrl: 'http://cloud.test', brokerUrl: 'mqtt://broker.test:1883' },
    dataDir: '/nonexistent/fleet',
    version: '0.1.0',
    clock,
    logger: silentLogger,
    random: () => 0.5,
    createBridge: factory.create,
    localNetwork: () => Promise.resolve('192.168.1.0/24'),
    probe: () => new Promise(() => undefined),
  });
  runtimes.push(runtime);
  runtime.add(PRINTER);
  await settle();
  const bridge = factory.latest('a');
  bridge.snapshotOverride = { temperatures: HOT };
  bridge.emitChange('printer');
  return { runtime, clock, bridge };
}

afterEach(async () => {
  for (const runtime of runtimes.splice(0)) await runtime.stop(1_000);
});

describe('fleet temperature history', () => {
  it('samples a live printer every two seconds', async () => {
    const { runtime, clock } = await runningPrinter();
    const start = clock.now();

    await clock.advanceAsync(6_000);

    const history = runtime.temperatureHistory('id-a');
    expect(history.times).toEqual([start + 2000, start + 4000, start + 6000]);
    expect(history.sensors[0]).toEqual({
      name: 'extruder',
      values: [214.8, 214.8, 214.8],
      targets: [215, 215, 215],
    });
    expect(runtime.summary('id-a').staleReadings).toBeUndefined();
  });

  it('marks the readings stale once Moonraker is lost', async () => {
    const { runtime, clock, bridge } = await runningPrinter();
    await clock.advanceAsync(4_000);
    const lastSeen = clock.now();

    bridge.snapshotOverride = {
      temperatures: HOT,
      moonraker: { state: 'backoff', url: PRINTER.moonrakerUrl, apiKeyConfigured: false },
    };
    bridge.emitChange('moonraker');
    await clock.advanceAsync(6_000);

    const summary = runtime.summary('id-a');
    expect(summary.temperatures).toEqual(HOT);
    expect(summary.staleReadings).toEqual({ lastSeenAt: lastSeen });
    const history = runtime.temperatureHistory('id-a');
    expect(history.times).toEqual([lastSeen - 2000, lastSeen, lastSeen + 2000]);
    expect(history.sensors[0]?.values).toEqual([214.8, 214.8, null]);
  });

  it('ends the line when the printer is disabled', async () => {
    const { runtime, clock } = await runningPrinter();
    await clock.advanceAsync(2_000);

    await runtime.setEnabled('id-a', false);
    await clock.advanceAsync(4_000);

    const history = runtime.temperatureHistory('id-a');
    expect(history.times).toHaveLength(2);
    expect(history.sensors[0]?.values).toEqual([214.8, null]);
  });
});
