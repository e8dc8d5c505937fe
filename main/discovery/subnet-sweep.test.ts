import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { SweepProgress } from '../../shared/control-api/printer-views.js';
import { systemClock } from '../support/clock.js';
import { silentLogger } from '../support/logger.js';
import { fakeMoonraker, startTestServer, type TestServer } from './__testing__/test-servers.js';
import { parseCidr } from './ipv4.js';
import { probeMoonraker } from './moonraker-probe.js';
import { SubnetSweep, type SweepDependencies, type SweepFinding } from './subnet-sweep.js';

/** A /28 on loopback: hosts 127.77.0.1 to 127.77.0.14. Linux routes all of 127/8 to `lo`. */
const NETWORK = parseCidr('127.77.0.0/28');

let moonraker: TestServer;
let guarded: TestServer;
const servers: TestServer[] = [];

beforeEach(async () => {
  moonraker = await startTestServer(fakeMoonraker({ hostname: 'sweep-voron' }), {
    host: '127.77.0.5',
  });
  guarded = await startTestServer(fakeMoonraker({ apiKey: 'secret' }), {
    host: '127.77.0.9',
    port: moonraker.port,
  });
  servers.push(moonraker, guarded);
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function recorder(overrides: Partial<SweepDependencies> = {}) {
  const progress: SweepProgress[] = [];
  const found: SweepFinding[] = [];
  const dependencies: SweepDependencies = {
    clock: systemClock,
    logger: silentLogger,
    probe: (target) => probeMoonraker(target),
    createId: () => 'sweep-1',
    onProgress: (update) => progress.push(update),
    onFound: (finding) => found.push(finding),
    ...overrides,
  };
  return { progress, found, dependencies };
}

function findingHost(finding: SweepFinding): string {
  return finding.kind === 'confirmed' ? finding.instance.host : finding.host;
}

describe('SubnetSweep', () => {
  it('finds the Moonraker servers of a block', async () => {
    const { found, dependencies } = recorder();

    const sweep = new SubnetSweep({ network: NETWORK, port: moonraker.port }, dependencies);
    const final = await sweep.done;

    expect(final).toEqual({
      sweepId: 'sweep-1',
      cidr: '127.77.0.0/28',
      scanned: 14,
      total: 14,
      found: 2,
      state: 'finished',
    });
    expect(found.map(findingHost).sort()).toEqual(['127.77.0.5', '127.77.0.9']);
    const confirmed = found.find((finding) => finding.kind === 'confirmed');
    expect(confirmed?.kind).toBe('confirmed');
    expect(confirmed?.kind === 'confirmed' ? confirmed.instance.hostname : '').toBe('sweep-voron');
    expect(found.find((finding) => finding.kind === 'unauthorized')?.kind).toBe('unauthorized');
  });

  it('reports progress after every batch', async () => {
    const { progress, dependencies } = recorder();

    const sweep = new SubnetSweep(
      { network: NETWORK, port: moonraker.port, concurrency: 4 },
      dependencies,
    );
    await sweep.done;

    expect(progress.map(({ scanned, state }) => `${scanned} ${state}`)).toEqual([
      '0 running',
      '4 running',
      '8 running',
      '12 running',
      '14 running',
      '14 finished',
    ]);
    expect(progress.at(-1)?.found).toBe(2);
  });

  it('probes only hosts with an open port', async () => {
    const probed: string[] = [];
    const { dependencies } = recorder({
      probe: (target) => {
        probed.push(target.host);
        return probeMoonraker(target);
      },
    });

    await new SubnetSweep({ network: NETWORK, port: moonraker.port }, dependencies).done;

    expect(probed.sort()).toEqual(['127.77.0.5', '127.77.0.9']);
  });

  it('stops when cancelled mid-way', async () => {
    const started: { sweep?: SubnetSweep } = {};
    const { progress, dependencies } = recorder({
      onProgress: (update) => {
        progress.push(update);
        if (update.scanned >= 4) started.sweep?.cancel();
      },
    });

    const sweep = new SubnetSweep(
      { network: NETWORK, port: moonraker.port, concurrency: 2 },
      dependencies,
    );
    started.sweep = sweep;
    const final = await sweep.done;

    expect(final.state).toBe('cancelled');
    expect(final.scanned).toBe(4);
    expect(final.total).toBe(14);
    expect(progress.at(-1)?.state).toBe('cancelled');
  });

  it('aborts connects in flight when cancelled', async () => {
    const started: { sweep?: SubnetSweep } = {};
    const { dependencies } = recorder({
      connect: (options) =>
        new Promise((resolve) => {
          const timedOut = () => resolve({ open: false, reason: 'timeout' });
          if (options.signal?.aborted) timedOut();
          options.signal?.addEventListener('abort', timedOut);
          started.sweep?.cancel();
        }),
    });

    const sweep = new SubnetSweep({ network: NETWORK, port: moonraker.port }, dependencies);
    started.sweep = sweep;
    const final = await sweep.done;

    expect(final.state).toBe('cancelled');
    expect(final.scanned).toBe(0);
  });

  it('fails with the error of a broken connect', async () => {
    const { dependencies } = recorder({
      connect: () => Promise.reject(new Error('EMFILE: too many open files')),
    });

    const final = await new SubnetSweep({ network: NETWORK, port: moonraker.port }, dependencies)
      .done;

    expect(final.state).toBe('failed');
    expect(final.error).toBe('EMFILE: too many open files');
  });

  it('rejects an invalid concurrency', () => {
    const { dependencies } = recorder();

    expect(() => new SubnetSweep({ network: NETWORK, concurrency: 0 }, dependencies)).toThrow(
      expect.objectContaining({
        code: 'invalid_arguments',
        message: 'Invalid concurrency 0. Enter a whole number from 1 to 256.',
      }),
    );
  });
});
