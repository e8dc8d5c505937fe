import { describe, expect, it } from 'vitest';

import { authorizationHint } from './authorization-hint.js';
import { DiscoveryRegistry, type Sighting } from './discovery-registry.js';
import type { MoonrakerInstance } from './moonraker-identity.js';

function instance(host: string, extra: Partial<MoonrakerInstance> = {}): MoonrakerInstance {
  return {
    host,
    port: 7125,
    identity: 'host:voron:7125:/home/pi/printer_data/config/printer.cfg',
    klippyState: 'ready',
    klippyConnected: true,
    moonrakerVersion: 'v0.9.3',
    klipperVersion: 'v0.12.0',
    hostname: 'voron',
    machine: { macAddresses: [], ipAddresses: [] },
    ...extra,
  };
}

function confirmed(
  source: Sighting['source'],
  found: MoonrakerInstance,
  mdns?: Sighting['mdns'],
): Sighting {
  const claim = source === 'mdns' ? `Voron._moonraker._tcp.local@${found.host}` : source;
  const sighting: Sighting = { source, claim, result: { kind: 'confirmed', instance: found } };
  return mdns ? { ...sighting, mdns } : sighting;
}

function unauthorized(source: Sighting['source'], host: string): Sighting {
  const hint = authorizationHint({
    host,
    port: 7125,
    status: 401,
    trustedClient: '192.168.1.0/24',
    apiKeySent: false,
  });
  return { source, claim: source, result: { kind: 'unauthorized', host, port: 7125, hint } };
}

const macA = { macAddresses: ['dc:a6:32:00:00:01'], ipAddresses: [] };
const macB = { macAddresses: ['dc:a6:32:00:00:02'], ipAddresses: [] };

describe('DiscoveryRegistry', () => {
  describe('record', () => {
    it('lists a confirmed printer', () => {
      const registry = new DiscoveryRegistry();

      registry.record(confirmed('sweep', instance('192.168.1.50')));

      expect(registry.list()).toEqual([
        {
          key: 'host:voron:7125:/home/pi/printer_data/config/printer.cfg',
          host: '192.168.1.50',
          port: 7125,
          addresses: ['192.168.1.50'],
          hostname: 'voron',
          via: ['sweep'],
          state: 'confirmed',
          moonrakerVersion: 'v0.9.3',
          klipperVersion: 'v0.12.0',
        },
      ]);
    });

    it('merges mDNS and sweep sightings of one address', () => {
      const registry = new DiscoveryRegistry();

      registry.record(confirmed('mdns', instance('192.168.1.50')));
      registry.record(confirmed('sweep', instance('192.168.1.50')));
      registry.record(confirmed('manual', instance('192.168.1.50')));

      const list = registry.list();
      expect(list).toHaveLength(1);
      expect(list[0]?.via).toEqual(['manual', 'mdns', 'sweep']);
    });

    it('merges one mDNS host seen on two addresses', () => {
      const registry = new DiscoveryRegistry();
      const mdnsHost = 'voron.local';

      registry.record(
        confirmed('mdns', instance('192.168.1.50'), {
          host: mdnsHost,
          addresses: ['192.168.1.50'],
        }),
      );
      registry.record(
        confirmed('mdns', instance('10.0.0.50'), { host: mdnsHost, addresses: ['10.0.0.50'] }),
      );

      const list = registry.list();
      expect(list).toHaveLength(1);
      expect(list[0]?.host).toBe('192.168.1.50');
      expect(list[0]?.addresses).toEqual(['192.168.1.50', '10.0.0.50']);
      expect(list[0]?.duplicateOf).toBeUndefined();
    });

    it('merges addresses with a shared MAC address', () => {
      const registry = new DiscoveryRegistry();

      registry.record(confirmed('sweep', instance('192.168.1.50', { machine: macA })));
      registry.record(confirmed('sweep', instance('10.0.0.50', { machine: macA })));

      expect(registry.list()).toHaveLength(1);
    });

    it('flags a second machine with the same identity', () => {
      const registry = new DiscoveryRegistry();

      registry.record(confirmed('sweep', instance('192.168.1.50', { machine: macA })));
      registry.record(confirmed('sweep', instance('192.168.1.51', { machine: macB })));

      const [original, copy] = registry.list();
      expect(original?.duplicateOf).toBeUndefined();
      expect(copy?.key).toBe(
        'host:voron:7125:/home/pi/printer_data/config/printer.cfg@192.168.1.51',
      );
      expect(copy?.duplicateOf).toBe(original?.key);
      expect(copy?.hint).toBe(
        'This printer reports the same Moonraker identity as the one at 192.168.1.50, as a ' +
          'copied SD card would. Give each printer its own host name so that they can be told ' +
          'apart.',
      );
    });

    it('flags a copy that avahi renamed', () => {
      const registry = new DiscoveryRegistry();

      registry.record(
        confirmed('mdns', instance('192.168.1.50'), {
          host: 'voron.local',
          addresses: ['192.168.1.50'],
        }),
      );
      registry.record(
        confirmed('mdns', instance('192.168.1.51'), {
          host: 'voron-2.local',
          addresses: ['192.168.1.51'],
        }),
      );

      expect(registry.list().map((entry) => entry.duplicateOf)).toEqual([
        undefined,
        'host:voron:7125:/home/pi/printer_data/config/printer.cfg',
      ]);
    });

    it('keeps two instances on one host apart', () => {
      const registry = new DiscoveryRegistry();

      registry.record(confirmed('sweep', instance('192.168.1.50')));
      registry.record(
        confirmed('sweep', instance('192.168.1.50', { port: 7126, identity: 'host:voron:7126:' })),
      );

      expect(registry.list().map((entry) => entry.port)).toEqual([7125, 7126]);
    });

    it('lists an unauthorized printer with its hint', () => {
      const registry = new DiscoveryRegistry();

      registry.record(unauthorized('sweep', '192.168.1.60'));

      const [entry] = registry.list();
      expect(entry?.key).toBe('address:192.168.1.60:7125');
      expect(entry?.state).toBe('unauthorized');
      expect(entry?.hint).toContain('add the line "192.168.1.0/24" under trusted_clients:');
    });

    it('replaces an unauthorized entry once Moonraker answers', () => {
      const registry = new DiscoveryRegistry();

      registry.record(unauthorized('sweep', '192.168.1.50'));
      registry.setPrinterId('address:192.168.1.50:7125', 'printer-1');
      registry.record(confirmed('manual', instance('192.168.1.50')));

      const list = registry.list();
      expect(list).toHaveLength(1);
      expect(list[0]?.state).toBe('confirmed');
      expect(list[0]?.via).toEqual(['manual', 'sweep']);
      expect(list[0]?.printerId).toBe('printer-1');
      expect(list[0]?.hint).toBeUndefined();
    });
  });

  describe('reprobed', () => {
    it('takes the host identity once Klippy connects', () => {
      const registry = new DiscoveryRegistry();
      const klippyDown = instance('192.168.1.50', {
        identity: 'address:192.168.1.50:7125',
        hostname: undefined,
        klippyConnected: false,
      });
      const { key } = registry.record(confirmed('sweep', klippyDown));
      registry.record(confirmed('mdns', klippyDown));

      expect(
        registry.reprobed(key, { kind: 'confirmed', instance: instance('192.168.1.50') }),
      ).toBe(true);

      const list = registry.list();
      expect(list).toHaveLength(1);
      expect(list[0]?.key).toBe('host:voron:7125:/home/pi/printer_data/config/printer.cfg');
      expect(list[0]?.hostname).toBe('voron');
      expect(list[0]?.via).toEqual(['mdns', 'sweep']);
    });

    it('returns false for an unknown key', () => {
      const registry = new DiscoveryRegistry();

      expect(
        registry.reprobed('missing', { kind: 'confirmed', instance: instance('192.168.1.50') }),
      ).toBe(false);
    });
  });

  describe('markUnreachable', () => {
    it('keeps the entry with the message', () => {
      const registry = new DiscoveryRegistry();
      const { key } = registry.record(confirmed('sweep', instance('192.168.1.50')));

      expect(registry.markUnreachable(key, 'No answer from 192.168.1.50')).toBe(true);
      expect(registry.markUnreachable(key, 'No answer from 192.168.1.50')).toBe(false);

      expect(registry.list()[0]?.state).toBe('unreachable');
      expect(registry.list()[0]?.hint).toBe('No answer from 192.168.1.50');
    });

    it('moves an unreachable entry to an address that answers', () => {
      const registry = new DiscoveryRegistry();
      const { key } = registry.record(
        confirmed('sweep', instance('192.168.1.50', { machine: macA })),
      );
      registry.markUnreachable(key, 'No answer');

      registry.record(confirmed('sweep', instance('10.0.0.50', { machine: macA })));

      expect(registry.list()[0]?.host).toBe('10.0.0.50');
      expect(registry.list()[0]?.state).toBe('confirmed');
    });
  });

  describe('withdraw', () => {
    it('removes an entry left without sources', () => {
      const registry = new DiscoveryRegistry();
      const found = confirmed('mdns', instance('192.168.1.50'));
      registry.record(found);

      expect(registry.withdraw('mdns', found.claim)).toBe(true);

      expect(registry.list()).toEqual([]);
    });

    it('keeps an entry another source still reports', () => {
      const registry = new DiscoveryRegistry();
      const found = confirmed('mdns', instance('192.168.1.50'));
      registry.record(found);
      registry.record(confirmed('sweep', instance('192.168.1.50')));

      registry.withdraw('mdns', found.claim);

      expect(registry.list()[0]?.via).toEqual(['sweep']);
    });

    it('makes the copy primary once the original is gone', () => {
      const registry = new DiscoveryRegistry();
      const original = confirmed('mdns', instance('192.168.1.50', { machine: macA }));
      registry.record(original);
      registry.record(confirmed('sweep', instance('192.168.1.51', { machine: macB })));

      registry.withdraw('mdns', original.claim);

      expect(registry.list()).toHaveLength(1);
      expect(registry.list()[0]?.duplicateOf).toBeUndefined();
    });
  });
});
