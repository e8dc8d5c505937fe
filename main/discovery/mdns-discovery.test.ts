import { describe, expect, it } from 'vitest';

import { silentLogger } from '../support/logger.js';
import { browserDefaults, FakeMdnsBrowser, mdnsService } from './__testing__/fake-mdns-browser.js';
import type { Sighting } from './discovery-registry.js';
import { notMoonrakerError, unreachableError } from './discovery-errors.js';
import { probeTargets } from './mdns-browser.js';
import { MdnsDiscovery } from './mdns-discovery.js';
import type { MoonrakerInstance } from './moonraker-identity.js';
import type { ProbeResult } from './moonraker-probe.js';

type Probe = (target: { host: string; port: number }) => ProbeResult;

/**
 * Lets the probes started so far finish: the fake probes resolve at once, so their callbacks
 * have all run once the event loop reaches the check phase.
 */
function probesSettled(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function confirmedAt(target: { host: string; port: number }): ProbeResult {
  const instance: MoonrakerInstance = {
    ...target,
    identity: `host:voron:${target.port}:`,
    klippyState: 'ready',
    klippyConnected: true,
    machine: { macAddresses: [], ipAddresses: [] },
  };
  return { kind: 'confirmed', instance };
}

function refusedAt(target: { host: string; port: number }): ProbeResult {
  return {
    kind: 'unreachable',
    ...target,
    error: unreachableError(target, 'refused', { timeoutMs: 100 }),
  };
}

function setUp(probe: Probe) {
  const browser = new FakeMdnsBrowser();
  const sightings: Sighting[] = [];
  const lost: string[] = [];
  const probed: string[] = [];
  const discovery = new MdnsDiscovery({
    browser: browserDefaults,
    logger: silentLogger,
    probe: async (target) => {
      probed.push(`${target.host}:${target.port}`);
      return probe(target);
    },
    onSighting: (sighting) => sightings.push(sighting),
    onLost: (claim) => lost.push(claim),
    createBrowser: browser.create,
  });
  discovery.start();
  return { browser, discovery, sightings, lost, probed };
}

describe('MdnsDiscovery', () => {
  it('reports a Moonraker service once the probe confirms it', async () => {
    const { browser, sightings } = setUp(confirmedAt);
    browser.announce(mdnsService({ port: 7126, addresses: ['10.0.0.5', '10.0.1.5'] }));
    await probesSettled();

    expect(sightings).toHaveLength(1);
    expect(sightings[0]?.source).toBe('mdns');
    expect(sightings[0]?.claim).toBe('Voron._moonraker._tcp.local');
    expect(sightings[0]?.mdns).toEqual({
      host: 'voron.local',
      addresses: ['10.0.0.5', '10.0.1.5'],
    });
  });

  it('tries the next address when the first fails', async () => {
    const { browser, sightings, probed } = setUp((target) =>
      target.host === '10.0.0.5' ? refusedAt(target) : confirmedAt(target),
    );
    browser.announce(mdnsService({ port: 7126, addresses: ['10.0.0.5', '10.0.1.5'] }));
    await probesSettled();

    expect(probed).toEqual(['10.0.0.5:7126', '10.0.1.5:7126']);
    const result = sightings[0]?.result;
    expect(result?.kind).toBe('confirmed');
    expect(result?.kind === 'confirmed' ? result.instance.host : '').toBe('10.0.1.5');
  });

  it('probes port 7125 for a workstation hint', async () => {
    const { browser, probed } = setUp(confirmedAt);
    browser.announce(
      mdnsService({
        kind: 'workstation',
        fqdn: 'voron [dc:a6:32:00:00:01]._workstation._tcp.local',
        port: 9,
      }),
    );
    await probesSettled();

    expect(probed).toEqual(['127.0.0.1:7125']);
  });

  it('probes an unconfirmed Moonraker again on re-query', async () => {
    let up = false;
    const { browser, discovery, sightings } = setUp((target) =>
      up ? confirmedAt(target) : refusedAt(target),
    );
    browser.announce(mdnsService({ port: 7126 }));
    await probesSettled();
    expect(sightings).toHaveLength(0);

    up = true;
    discovery.requery();
    await probesSettled();

    expect(sightings).toHaveLength(1);
  });

  it('does not probe a hint again after a miss', async () => {
    const { browser, discovery, probed } = setUp((target) => ({
      kind: 'not_moonraker',
      ...target,
      error: notMoonrakerError(target, 'GET /server/info returned HTTP 404'),
    }));
    browser.announce(mdnsService({ kind: 'http', fqdn: 'NAS._http._tcp.local', port: 80 }));
    await probesSettled();

    discovery.requery();
    discovery.requery();

    expect(probed).toEqual(['127.0.0.1:7125']);
  });

  it('does not probe a confirmed service again', async () => {
    const { browser, discovery, probed } = setUp(confirmedAt);
    browser.announce(mdnsService({ port: 7126 }));
    await probesSettled();

    discovery.requery();

    expect(probed).toEqual(['127.0.0.1:7126']);
  });

  it('withdraws a service that says goodbye', async () => {
    const { browser, lost } = setUp(confirmedAt);
    browser.announce(mdnsService({ port: 7126 }));
    await probesSettled();

    browser.goodbye('Voron._moonraker._tcp.local');

    expect(lost).toEqual(['Voron._moonraker._tcp.local']);
  });

  it('reports nothing after dispose', async () => {
    const { browser, discovery, sightings } = setUp(confirmedAt);

    browser.announce(mdnsService({ port: 7126 }));
    discovery.dispose();
    await probesSettled();

    expect(browser.disposed).toBe(true);
    expect(sightings).toEqual([]);
  });
});

describe('probeTargets', () => {
  it('uses the advertised port of a Moonraker service', () => {
    expect(probeTargets(mdnsService({ port: 7126, addresses: ['10.0.0.5'] }))).toEqual([
      { host: '10.0.0.5', port: 7126 },
    ]);
  });

  it('uses port 7125 for an HTTP hint', () => {
    const service = mdnsService({ kind: 'http', port: 80, addresses: ['10.0.0.5'] });

    expect(probeTargets(service)).toEqual([{ host: '10.0.0.5', port: 7125 }]);
  });
});
