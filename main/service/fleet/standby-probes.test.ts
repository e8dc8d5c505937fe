import { afterEach, describe, expect, it } from 'vitest';

import { FakeClock, flushMicrotasks } from '../../../test/support/fake-clock.js';
import type { ProbeResult } from '../../discovery/moonraker-probe.js';
import { silentLogger } from '../../support/logger.js';
import { probeTargetOf, StandbyProbes, type ProbeTarget } from './standby-probes.js';

const probes: StandbyProbes[] = [];

afterEach(() => {
  for (const standby of probes.splice(0)) standby.dispose();
});

function confirmed(klippyState = 'ready'): ProbeResult {
  return {
    kind: 'confirmed',
    instance: {
      host: '127.0.0.1',
      port: 7125,
      identity: 'id',
      klippyState,
      klippyConnected: klippyState === 'ready',
      moonrakerVersion: 'v0.9.3',
    } as Extract<ProbeResult, { kind: 'confirmed' }>['instance'],
  };
}

function createProbes(results: ProbeResult[] = []) {
  const clock = new FakeClock();
  const calls: { at: number; target: ProbeTarget }[] = [];
  const changed: string[] = [];
  const queue = [...results];
  const standby = new StandbyProbes({
    clock,
    logger: silentLogger,
    intervalMs: 30_000,
    random: () => 0,
    probe: (target) => {
      calls.push({ at: clock.monotonic(), target });
      return Promise.resolve(queue.shift() ?? confirmed());
    },
    changed: (id) => changed.push(id),
  });
  probes.push(standby);
  return { clock, standby, calls, changed };
}

const TARGET: ProbeTarget = { host: '127.0.0.1', port: 7125 };

describe('StandbyProbes', () => {
  describe('watch', () => {
    it('probes at once and keeps the result', async () => {
      const { clock, standby, calls, changed } = createProbes();

      standby.watch('p1', TARGET);
      await clock.advanceAsync(0);

      expect(calls.map((call) => call.at)).toEqual([0]);
      expect(standby.latest('p1')).toMatchObject({ outcome: 'ready', moonrakerVersion: 'v0.9.3' });
      expect(changed).toEqual(['p1']);
    });

    it('probes again after each interval', async () => {
      const { clock, standby, calls } = createProbes([confirmed(), confirmed('startup')]);

      standby.watch('p1', TARGET);
      await clock.advanceAsync(0);
      await clock.advanceAsync(30_000);
      await flushMicrotasks();

      expect(calls.map((call) => call.at)).toEqual([0, 30_000]);
      expect(standby.latest('p1')?.outcome).toBe('klippy_not_ready');
      expect(standby.latest('p1')?.summary).toBe(
        'Moonraker v0.9.3 responds, but Klippy is starting',
      );
    });

    it('probes at once after the target changed and drops the old result', async () => {
      const { clock, standby, calls } = createProbes();
      standby.watch('p1', TARGET);
      await clock.advanceAsync(0);
      await clock.advanceAsync(10_000);

      standby.watch('p1', { ...TARGET, apiKey: 'k3y' });
      expect(standby.latest('p1')).toBeUndefined();
      await clock.advanceAsync(0);

      expect(calls.map((call) => call.at)).toEqual([0, 10_000]);
      expect(calls[1]?.target.apiKey).toBe('k3y');
    });

    it('keeps the result when watched again with the same target', async () => {
      const { clock, standby } = createProbes();
      standby.watch('p1', TARGET);
      await clock.advanceAsync(0);

      standby.watch('p1', TARGET);

      expect(standby.latest('p1')?.outcome).toBe('ready');
    });
  });

  describe('unwatch', () => {
    it('stops probing and forgets the result', async () => {
      const { clock, standby, calls } = createProbes();
      standby.watch('p1', TARGET);
      await clock.advanceAsync(0);

      standby.unwatch('p1');
      await clock.advanceAsync(120_000);

      expect(calls).toHaveLength(1);
      expect(standby.latest('p1')).toBeUndefined();
      expect(clock.pendingTimers).toBe(0);
    });
  });

  describe('dispose', () => {
    it('cancels every timer', async () => {
      const { clock, standby } = createProbes();
      standby.watch('p1', TARGET, 5_000);
      standby.watch('p2', TARGET);

      standby.dispose();

      expect(clock.pendingTimers).toBe(0);
    });
  });
});

describe('probeTargetOf', () => {
  it('reads host, port and API key from the printer', () => {
    const target = probeTargetOf({
      id: 'p1',
      name: 'Voron',
      moonrakerUrl: 'http://[fe80::1]:7126',
      enabled: false,
      apiKey: 'k3y',
    });

    expect(target).toEqual({ host: 'fe80::1', port: 7126, apiKey: 'k3y' });
  });
});
