import { systemClock } from '../../support/clock.js';
import { silentLogger } from '../../support/logger.js';
import type { MdnsBrowserListener, MdnsBrowserOptions, MdnsService } from '../mdns-browser.js';
import type { MdnsBrowsing } from '../mdns-discovery.js';

/**
 * Replaces the multicast side: a test announces services by hand, and the browser records the
 * calls the discovery made.
 */
export class FakeMdnsBrowser implements MdnsBrowsing {
  listener: MdnsBrowserListener | undefined;
  options: MdnsBrowserOptions | undefined;
  started = 0;
  requeries = 0;
  disposed = false;
  private readonly known = new Map<string, MdnsService>();

  readonly create = (options: MdnsBrowserOptions, listener: MdnsBrowserListener): MdnsBrowsing => {
    this.options = options;
    this.listener = listener;
    return this;
  };

  start(): void {
    this.started += 1;
  }

  requery(): void {
    this.requeries += 1;
    for (const service of this.known.values()) this.listener?.seen(service);
  }

  dispose(): void {
    this.disposed = true;
  }

  announce(service: MdnsService): void {
    this.known.set(service.fqdn, service);
    this.listener?.seen(service);
  }

  goodbye(fqdn: string): void {
    const service = this.known.get(fqdn);
    if (!service) return;
    this.known.delete(fqdn);
    this.listener?.lost(service);
  }
}

export function mdnsService(overrides: Partial<MdnsService> & Pick<MdnsService, 'port'>) {
  const service: MdnsService = {
    kind: 'moonraker',
    fqdn: 'Voron._moonraker._tcp.local',
    name: 'Voron',
    host: 'voron.local',
    addresses: ['127.0.0.1'],
    txt: {},
    ...overrides,
  };
  return service;
}

export const browserDefaults = { clock: systemClock, logger: silentLogger };
