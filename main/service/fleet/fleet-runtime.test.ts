import { afterEach, describe, expect, it } from 'vitest';

import { FakeClock } from '../../../test/support/fake-clock.js';
import { captureLogger, flushLogs } from '../../cloud/__testing__/capture-logger.js';
import { settle } from '../../cloud/__testing__/fake-token-source.js';
import { CodedError } from '../../support/coded-error.js';
import { FakeBridgeFactory } from './__testing__/fake-bridge.js';
import type { FleetPrinter } from './fleet-bridge.js';
import { FleetRuntime } from './fleet-runtime.js';

const runtimes: FleetRuntime[] = [];

function printer(name: string, overrides: Partial<FleetPrinter> = {}): FleetPrinter {
  return {
    id: `id-${name}`,
    name,
    moonrakerUrl: `http://${name}.local:7125`,
    enabled: true,
    credentials: {
      deviceId: `device-${name}`,
      printerId: `printer-${name}`,
      devicePrivateKey: 'k',
    },
    ...overrides,
  };
}

function createRuntime(randomValues: number[] = []) {
  const clock = new FakeClock();
  const factory = new FakeBridgeFactory();
  const { logger, entries } = captureLogger();
  const values = [...randomValues];
  const runtime = new FleetRuntime({
    cloud: { baseUrl: 'http://cloud.test', brokerUrl: 'mqtt://broker.test:1883' },
    dataDir: '/nonexistent/fleet',
    version: '0.1.0',
    clock,
    logger,
    random: () => values.shift() ?? 0.5,
    createBridge: factory.create,
    localNetwork: () => Promise.resolve('192.168.1.0/24'),
    // The printers' addresses are not on this machine, so no standby probe may reach them.
    probe: () => new Promise(() => undefined),
  });
  runtimes.push(runtime);
  return { runtime, clock, factory, logs: entries };
}

async function thrown(work: () => unknown): Promise<CodedError> {
  try {
    await work();
  } catch (error) {
    if (error instanceof CodedError) return error;
    throw error;
  }
  throw new Error('expected an error');
}

afterEach(async () => {
  for (const runtime of runtimes.splice(0)) await runtime.stop(1_000);
});

describe('FleetRuntime', () => {
  describe('start', () => {
    it('spreads the first starts over n × 100 ms', async () => {
      const { runtime, clock, factory } = createRuntime([0, 0.25, 0.5, 0.99]);
      const printers = ['a', 'b', 'c', 'd'].map((name) => printer(name));

      runtime.start(printers);
      await settle();
      expect(factory.created.map((bridge) => bridge.options.name)).toEqual(['a']);

      await clock.advanceAsync(100);
      expect(factory.created).toHaveLength(2);
      await clock.advanceAsync(100);
      expect(factory.created).toHaveLength(3);
      await clock.advanceAsync(195);
      expect(factory.created).toHaveLength(3);
      await clock.advanceAsync(1);
      expect(factory.created).toHaveLength(4);
      expect(factory.created.every((bridge) => bridge.state === 'running')).toBe(true);
    });

    it('leaves disabled and unlinked printers without a bridge', async () => {
      const { runtime, factory } = createRuntime([0, 0, 0]);

      runtime.start([
        printer('a'),
        printer('b', { enabled: false }),
        { ...printer('c'), credentials: undefined },
      ]);
      await settle();

      expect(factory.created.map((bridge) => bridge.options.name)).toEqual(['a']);
      expect(runtime.summary('id-b').health.map((link) => link.level)).toEqual([
        'pending',
        'pending',
        'unknown',
        'unknown',
      ]);
      expect(runtime.summary('id-b').standby).toBe('checking');
      expect(runtime.summary('id-c').link).toBe('unlinked');
      expect(runtime.summary('id-c').overall).toBe('warning');
    });
  });

  describe('runtime changes', () => {
    async function runningFleet() {
      const harness = createRuntime([0, 0, 0]);
      harness.runtime.start([printer('a'), printer('b'), printer('c')]);
      await settle();
      return harness;
    }

    it('adds a printer and starts its bridge at once', async () => {
      const { runtime, factory } = await runningFleet();

      const summary = runtime.add(printer('d'));
      await settle();

      expect(summary.name).toBe('d');
      expect(factory.latest('d').state).toBe('running');
      expect(factory.created).toHaveLength(4);
    });

    it('rejects a printer id that is already in the fleet', async () => {
      const { runtime } = await runningFleet();

      const error = await thrown(() => runtime.add(printer('a')));

      expect(error.code).toBe('already_exists');
      expect(error.message).toBe('Printer id-a is already in the fleet');
    });

    it('removes a printer and stops only its bridge', async () => {
      const { runtime, factory } = await runningFleet();

      await runtime.remove('id-b');

      expect(factory.latest('b').state).toBe('stopped');
      expect(factory.latest('a').state).toBe('running');
      expect(factory.latest('c').state).toBe('running');
      expect(runtime.ids()).toEqual(['id-a', 'id-c']);
      const error = await thrown(() => runtime.summary('id-b'));
      expect(error.code).toBe('not_found');
      expect(error.message).toBe('Printer id-b is not in the fleet');
    });

    it('renames a printer without restarting its bridge', async () => {
      const { runtime, factory } = await runningFleet();

      const summary = runtime.rename('id-a', 'Voron');

      expect(summary.name).toBe('Voron');
      expect(factory.of('a')).toHaveLength(1);
      expect(factory.latest('a').stopCalls).toBe(0);
    });

    it('disables and enables one printer while the others keep running', async () => {
      const { runtime, factory } = await runningFleet();

      const disabled = await runtime.setEnabled('id-b', false);
      expect(disabled.enabled).toBe(false);
      expect(factory.latest('b').state).toBe('stopped');

      const enabled = await runtime.setEnabled('id-b', true);
      await settle();
      expect(enabled.enabled).toBe(true);
      expect(factory.of('b')).toHaveLength(2);
      expect(factory.latest('b').state).toBe('running');
      for (const name of ['a', 'c']) {
        expect(factory.of(name)).toHaveLength(1);
        expect(factory.latest(name).stopCalls).toBe(0);
      }
    });

    it('restarts the bridge with a new API key', async () => {
      const { runtime, factory } = await runningFleet();

      await runtime.reconfigure('id-a', { apiKey: 'secret-key' });
      await settle();

      expect(factory.of('a')).toHaveLength(2);
      expect(factory.latest('a').options.moonraker.apiKey).toBe('secret-key');
      expect(factory.latest('b').stopCalls).toBe(0);
    });

    it('restarts only the bridge at a new Moonraker URL', async () => {
      const { runtime, factory } = await runningFleet();

      const summary = await runtime.reconfigure('id-a', {
        moonrakerUrl: 'http://voron.local:7125',
      });
      await settle();

      expect(summary.moonrakerUrl).toBe('http://voron.local:7125');
      expect(factory.of('a')).toHaveLength(2);
      expect(factory.latest('a').options.moonraker.url).toBe('http://voron.local:7125');
      for (const name of ['b', 'c']) {
        expect(factory.of(name)).toHaveLength(1);
        expect(factory.latest(name).stopCalls).toBe(0);
      }
    });

    it('reports whether an API key is stored', async () => {
      const { runtime } = await runningFleet();

      const withKey = await runtime.reconfigure('id-a', { apiKey: 'secret-key' });
      expect(withKey.apiKeySet).toBe(true);
      expect(JSON.stringify(withKey)).not.toContain('secret-key');

      const cleared = await runtime.reconfigure('id-a', { apiKey: null });
      expect(cleared.apiKeySet).toBe(false);
    });

    it('stops the bridge when the printer is unlinked', async () => {
      const { runtime, factory } = await runningFleet();

      const summary = await runtime.reconfigure('id-a', { credentials: null });

      expect(factory.latest('a').state).toBe('stopped');
      expect(summary.link).toBe('unlinked');
      expect(summary.deviceId).toBeUndefined();
    });
  });

  describe('updateShared', () => {
    it('restarts the running bridges with the new cloud', async () => {
      const { runtime, clock, factory } = createRuntime([0, 0, 0, 0]);
      runtime.start([printer('a'), printer('b'), printer('c', { enabled: false })]);
      await settle();

      const cloud = { baseUrl: 'http://cloud-2.test', brokerUrl: 'mqtt://broker-2.test:1883' };
      await runtime.updateShared({ cloud, telemetry: { sensorsIntervalSeconds: 10 } });
      await clock.advanceAsync(200);

      expect(factory.of('a')).toHaveLength(2);
      expect(factory.latest('a').options.cloud).toEqual(cloud);
      expect(factory.latest('b').options.telemetry).toEqual({ sensorsIntervalSeconds: 10 });
      expect(factory.of('c')).toHaveLength(0);
      expect(runtime.summary('id-c').telemetry.intervalSeconds).toBe(10);
    });
  });

  describe('crash isolation', () => {
    it('restarts a bridge whose start fails, with a doubling wait', async () => {
      const { runtime, clock, factory } = createRuntime([0, 0]);
      factory.plan('a', 'reject', 'reject');

      runtime.start([printer('a'), printer('b')]);
      await settle();
      expect(factory.of('a')).toHaveLength(1);
      expect(runtime.summary('id-a').health[3]?.summary).toBe(
        'The bridge stopped with an error: the data folder is not writable',
      );

      await clock.advanceAsync(749);
      expect(factory.of('a')).toHaveLength(1);
      await clock.advanceAsync(1);
      expect(factory.of('a')).toHaveLength(2);

      await clock.advanceAsync(1_499);
      expect(factory.of('a')).toHaveLength(2);
      await clock.advanceAsync(1);
      expect(factory.of('a')).toHaveLength(3);
      expect(factory.latest('a').state).toBe('running');
      expect(factory.of('b')).toHaveLength(1);
      expect(factory.latest('b').stopCalls).toBe(0);
    });

    it('restarts a bridge whose start throws synchronously', async () => {
      const { runtime, clock, factory } = createRuntime([0]);
      factory.plan('a', 'throw');

      runtime.start([printer('a')]);
      await settle();
      await clock.advanceAsync(750);

      expect(factory.of('a')).toHaveLength(2);
      expect(factory.latest('a').state).toBe('running');
    });

    it('gives up on a start that hangs and starts a new bridge', async () => {
      const { runtime, clock, factory } = createRuntime([0, 0]);
      factory.plan('a', 'hang');

      runtime.start([printer('a'), printer('b')]);
      await settle();
      await clock.advanceAsync(30_000);
      expect(runtime.summary('id-a').overall).toBe('error');

      await clock.advanceAsync(750);
      expect(factory.of('a')).toHaveLength(2);
      expect(factory.latest('a').state).toBe('running');
      expect(factory.latest('b').state).toBe('running');
    });

    it('contains a fault of a running bridge and restarts only that one', async () => {
      const { runtime, clock, factory, logs } = createRuntime([0, 0]);
      runtime.start([printer('a'), printer('b')]);
      await settle();
      const first = factory.latest('a');

      first.fault('moonraker input', new Error('cannot read properties of undefined'));
      await settle();

      expect(first.stopCalls).toBe(1);
      expect(first.listenerCount).toBe(0);
      await clock.advanceAsync(750);
      expect(factory.of('a')).toHaveLength(2);
      expect(factory.latest('a').state).toBe('running');
      expect(factory.latest('b').stopCalls).toBe(0);
      await flushLogs();
      const crash = logs.find((entry) => entry.msg === 'Printer bridge crashed; restarting it');
      expect(crash?.['localPrinterId']).toBe('id-a');
      expect(crash?.['source']).toBe('moonraker input');
      expect(crash?.['err']).toBe('cannot read properties of undefined');
    });

    it('counts crashes from one after ten minutes of running', async () => {
      const { runtime, clock, factory } = createRuntime([0]);
      runtime.start([printer('a')]);
      await settle();
      factory.latest('a').fault('timer', new Error('first'));
      await clock.advanceAsync(750);
      factory.latest('a').fault('timer', new Error('second'));
      await settle();
      expect(runtime.summary('id-a').health[3]?.details?.['crashes']).toBe(2);

      await clock.advanceAsync(1_500);
      await clock.advanceAsync(10 * 60_000);
      factory.latest('a').fault('timer', new Error('third'));
      await settle();

      expect(runtime.summary('id-a').health[3]?.details?.['crashes']).toBe(1);
      await clock.advanceAsync(749);
      expect(factory.of('a')).toHaveLength(3);
      await clock.advanceAsync(1);
      expect(factory.of('a')).toHaveLength(4);
    });
  });

  describe('onChange', () => {
    it('notifies at most four times a second per printer', async () => {
      const { runtime, clock, factory } = createRuntime([0]);
      runtime.start([printer('a')]);
      await settle();
      await clock.advanceAsync(1_000);
      const notified: number[] = [];
      runtime.onChange(() => notified.push(clock.monotonic()));

      for (let step = 0; step < 100; step += 1) {
        factory.latest('a').emitChange('printer');
        await clock.advanceAsync(10);
      }
      await clock.advanceAsync(250);

      expect(notified).toEqual([1_000, 1_250, 1_500, 1_750, 2_000]);
    });

    it('announces a new address of a printer without a bridge', async () => {
      const { runtime, clock } = createRuntime([0]);
      runtime.start([printer('a', { credentials: undefined })]);
      await clock.advanceAsync(1_000);
      const seen: string[] = [];
      runtime.onChange((id) => seen.push(id));

      await runtime.reconfigure('id-a', { moonrakerUrl: 'http://voron.local:7125' });
      await clock.advanceAsync(250);

      expect(seen).toEqual(['id-a']);
    });

    it('keeps notifying the others when one listener throws', async () => {
      const { runtime, clock, factory, logs } = createRuntime([0]);
      runtime.start([printer('a')]);
      await settle();
      await clock.advanceAsync(1_000);
      const seen: string[] = [];
      runtime.onChange(() => {
        throw new Error('renderer gone');
      });
      runtime.onChange((id) => seen.push(id));

      factory.latest('a').emitChange('mqtt');
      await flushLogs();

      expect(seen).toEqual(['id-a']);
      const line = logs.find((entry) => entry.msg === 'A fleet change listener threw');
      expect(line?.['localPrinterId']).toBe('id-a');
    });
  });

  describe('setTelemetryRate', () => {
    it('applies the rate through the running bridge', async () => {
      const { runtime, factory } = createRuntime([0]);
      runtime.start([printer('a')]);
      await settle();

      runtime.setTelemetryRate('id-a', { mode: 'watch', intervalSeconds: 1, durationSeconds: 60 });

      expect(factory.latest('a').rates).toEqual([
        { mode: 'watch', intervalSeconds: 1, durationSeconds: 60, issuedAt: expect.any(Number) },
      ]);
    });

    it('rejects a disabled printer with busy', async () => {
      const { runtime } = createRuntime([0]);
      runtime.start([printer('a', { enabled: false })]);

      const error = await thrown(() => runtime.setTelemetryRate('id-a', { mode: 'idle' }));

      expect(error.code).toBe('busy');
      expect(error.message).toBe('Cannot set the telemetry rate of a: it is disabled');
    });
  });

  describe('stop', () => {
    it('stops every bridge in parallel', async () => {
      const { runtime, factory } = createRuntime([0, 0, 0]);
      runtime.start([printer('a'), printer('b'), printer('c')]);
      await settle();

      await runtime.stop(1_000);

      expect(factory.created.map((bridge) => bridge.state)).toEqual([
        'stopped',
        'stopped',
        'stopped',
      ]);
    });

    it('returns at the deadline when a bridge hangs while starting', async () => {
      const { runtime, clock, factory } = createRuntime([0, 0]);
      factory.plan('a', 'hang');
      runtime.start([printer('a'), printer('b')]);
      await settle();

      let stopped = false;
      void runtime.stop(2_000).then(() => (stopped = true));
      await clock.advanceAsync(1_999);
      expect(stopped).toBe(false);
      await clock.advanceAsync(1);

      expect(stopped).toBe(true);
      expect(factory.latest('b').state).toBe('stopped');
    });
  });
});
