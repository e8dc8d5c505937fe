import { afterEach, describe, expect, it } from 'vitest';

import type { DiscoveredPrinter, SweepProgress } from '../../shared/control-api/printer-views.js';
import { silentLogger } from '../support/logger.js';
import { EventLog } from './__testing__/event-log.js';
import { FakeMdnsBrowser, mdnsService } from './__testing__/fake-mdns-browser.js';
import {
  closedPort,
  fakeMoonraker,
  startTestServer,
  type TestServer,
} from './__testing__/test-servers.js';
import { DiscoveryService, type DiscoveryServiceOptions } from './discovery-service.js';

const servers: TestServer[] = [];
const services: DiscoveryService[] = [];

async function serve(...args: Parameters<typeof startTestServer>): Promise<TestServer> {
  const server = await startTestServer(...args);
  servers.push(server);
  return server;
}

afterEach(async () => {
  for (const service of services.splice(0)) service.dispose();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function createService(options: Partial<DiscoveryServiceOptions> = {}) {
  const lists = new EventLog<DiscoveredPrinter[]>();
  const progress = new EventLog<SweepProgress>();
  const service = new DiscoveryService({
    logger: silentLogger,
    mdns: false,
    probeTimeoutMs: 2000,
    createSweepId: () => 'sweep-1',
    ...options,
  });
  services.push(service);
  service.onChange(lists.push);
  service.onSweepProgress(progress.push);
  const sweepEnd = () => progress.waitFor((update) => update.state !== 'running');
  return { service, lists, sweepEnd };
}

describe('DiscoveryService', () => {
  describe('probe', () => {
    it('lists a printer added by hand', async () => {
      const moonraker = await serve(fakeMoonraker({ hostname: 'manual-voron' }));
      const { service, lists } = createService();

      const entry = await service.probe('127.0.0.1', moonraker.port);

      expect(entry.state).toBe('confirmed');
      expect(entry.hostname).toBe('manual-voron');
      expect(entry.via).toEqual(['manual']);
      expect(service.list()).toEqual([entry]);
      expect(lists.items).toEqual([[entry]]);
    });

    it('lists a printer that asks for authorization', async () => {
      const moonraker = await serve(fakeMoonraker({ apiKey: 'secret' }));
      const { service } = createService();

      const entry = await service.probe('127.0.0.1', moonraker.port);

      expect(entry.state).toBe('unauthorized');
      expect(entry.hint).toContain('trusted_clients');
    });

    it('sends the API key again on refresh', async () => {
      const moonraker = await serve(fakeMoonraker({ apiKey: 'secret' }));
      const { service } = createService();
      await service.probe('127.0.0.1', moonraker.port, 'secret');

      await service.refresh();

      expect(service.list()[0]?.state).toBe('confirmed');
    });

    it('rejects a closed port', async () => {
      const port = await closedPort();
      const { service } = createService();

      await expect(service.probe('127.0.0.1', port)).rejects.toMatchObject({
        code: 'unreachable',
        message: expect.stringMatching(
          /^Nothing listens on 127\.0\.0\.1:\d+ \(connection refused\)/,
        ),
      });
      expect(service.list()).toEqual([]);
    });

    it('rejects an HTTP server that is not Moonraker', async () => {
      const web = await serve((_request, response) => response.end('hello'));
      const { service } = createService();

      await expect(service.probe('127.0.0.1', web.port)).rejects.toMatchObject({
        code: 'not_moonraker',
        message: expect.stringContaining('is not a Moonraker server'),
      });
    });
  });

  describe('startSweep', () => {
    it('lists what a sweep finds, merged with a manual add', async () => {
      const moonraker = await serve(fakeMoonraker({ hostname: 'swept' }), { host: '127.77.1.5' });
      const { service, sweepEnd } = createService();

      const first = service.startSweep({ cidr: '127.77.1.0/29', port: moonraker.port });
      const final = await sweepEnd();
      await service.probe('127.77.1.5', moonraker.port);

      expect(first).toMatchObject({ sweepId: 'sweep-1', cidr: '127.77.1.0/29', state: 'running' });
      expect(final).toMatchObject({ scanned: 6, total: 6, found: 1, state: 'finished' });
      expect(service.list()).toHaveLength(1);
      expect(service.list()[0]?.via).toEqual(['manual', 'sweep']);
    });

    it('lists hosts with one host name as separate rows', async () => {
      // Three hosts named alike on one port, as a farm of "mainsailos" images without MACs.
      const first = await serve(fakeMoonraker({ hostname: 'mainsailos' }), { host: '127.77.3.2' });
      for (const host of ['127.77.3.3', '127.77.3.4']) {
        await serve(fakeMoonraker({ hostname: 'mainsailos' }), { host, port: first.port });
      }
      const { service, sweepEnd } = createService();

      service.startSweep({ cidr: '127.77.3.0/29', port: first.port });
      const final = await sweepEnd();

      expect(final).toMatchObject({ found: 3, state: 'finished' });
      const rows = service.list();
      expect(rows.map((row) => row.host).sort()).toEqual([
        '127.77.3.2',
        '127.77.3.3',
        '127.77.3.4',
      ]);
      expect(rows.every((row) => row.duplicateOf === undefined)).toBe(true);
    });

    it('flags a copied SD card by its MAC address', async () => {
      const first = await serve(
        fakeMoonraker({ hostname: 'voron', macAddress: 'dc:a6:32:00:00:01' }),
        { host: '127.77.4.2' },
      );
      await serve(fakeMoonraker({ hostname: 'voron', macAddress: 'dc:a6:32:00:00:02' }), {
        host: '127.77.4.3',
        port: first.port,
      });
      const { service, sweepEnd } = createService();

      service.startSweep({ cidr: '127.77.4.0/29', port: first.port });
      await sweepEnd();

      const rows = service.list();
      expect(rows).toHaveLength(2);
      expect(rows.filter((row) => row.duplicateOf !== undefined)).toHaveLength(1);
    });

    it('rejects a second sweep while one runs', async () => {
      const { service, sweepEnd } = createService();
      service.startSweep({ cidr: '127.77.2.0/28', port: await closedPort() });

      expect(() => service.startSweep({ cidr: '127.77.3.0/28' })).toThrow(
        expect.objectContaining({
          code: 'busy',
          message: expect.stringMatching(/^A sweep of 127\.77\.2\.0\/28 is already running/),
        }),
      );
      service.cancelSweep('sweep-1');
      expect((await sweepEnd()).state).toBe('cancelled');
    });

    it('rejects a network larger than /16', () => {
      const { service } = createService();

      expect(() => service.startSweep({ cidr: '10.0.0.0/8' })).toThrow(
        expect.objectContaining({ code: 'invalid_arguments' }),
      );
    });

    it('sweeps the network of the chosen interface', async () => {
      const { service, sweepEnd } = createService({
        interfaces: () => ({
          eth0: [
            {
              address: '127.77.4.1',
              netmask: '255.255.255.252',
              family: 'IPv4',
              mac: '02:00:00:00:00:01',
              internal: false,
              cidr: '127.77.4.1/30',
            },
          ],
        }),
      });

      const first = service.startSweep({
        interfaceAddress: '127.77.4.1',
        port: await closedPort(),
      });
      await sweepEnd();

      expect(first.cidr).toBe('127.77.4.0/30');
      expect(first.total).toBe(2);
    });
  });

  describe('cancelSweep', () => {
    it('rejects an unknown sweep id', () => {
      const { service } = createService();

      expect(() => service.cancelSweep('nope')).toThrow(
        expect.objectContaining({
          code: 'not_found',
          message: 'No sweep with id "nope" was started.',
        }),
      );
    });
  });

  describe('with mDNS', () => {
    it('lists a confirmed service and drops it on goodbye', async () => {
      const moonraker = await serve(fakeMoonraker({ hostname: 'mdns-voron' }));
      const browser = new FakeMdnsBrowser();
      const { service, lists } = createService({ mdns: true, createMdnsBrowser: browser.create });
      service.start();

      browser.announce(mdnsService({ port: moonraker.port }));
      const [entry] = await lists.waitFor((list) => list.length === 1);
      browser.goodbye('Voron._moonraker._tcp.local');

      expect(entry?.via).toEqual(['mdns']);
      expect(entry?.hostname).toBe('mdns-voron');
      expect(lists.items.at(-1)).toEqual([]);
    });

    it('browses on the chosen interface', () => {
      const browser = new FakeMdnsBrowser();
      const { service } = createService({
        mdns: true,
        interfaceAddress: '10.213.9.2',
        createMdnsBrowser: browser.create,
      });

      service.start();

      expect(browser.started).toBe(1);
      expect(browser.options?.interfaceAddress).toBe('10.213.9.2');
    });
  });

  describe('refresh', () => {
    it('marks a printer that stopped answering unreachable', async () => {
      const moonraker = await serve(fakeMoonraker());
      const { service } = createService();
      await service.probe('127.0.0.1', moonraker.port);
      await moonraker.close();

      await service.refresh();

      const [entry] = service.list();
      expect(entry?.state).toBe('unreachable');
      expect(entry?.hint).toMatch(/^Nothing listens on 127\.0\.0\.1:\d+/);
    });
  });

  describe('dispose', () => {
    it('stops the mDNS browser and rejects new sweeps', () => {
      const browser = new FakeMdnsBrowser();
      const { service } = createService({ mdns: true, createMdnsBrowser: browser.create });
      service.start();

      service.dispose();
      service.dispose();

      expect(browser.disposed).toBe(true);
      expect(() => service.startSweep({ cidr: '127.77.5.0/30' })).toThrow(
        expect.objectContaining({ code: 'busy' }),
      );
    });
  });
});
