import type { Disposable } from '../support/disposable.js';
import { LogRateLimiter, type Logger } from '../support/logger.js';
import type { Sighting } from './discovery-registry.js';
import {
  MdnsBrowser,
  probeTargets,
  type MdnsBrowserListener,
  type MdnsBrowserOptions,
  type MdnsService,
} from './mdns-browser.js';
import type { ProbeResult } from './moonraker-probe.js';

/** The part of MdnsBrowser this class drives, so tests can replace the multicast side. */
export interface MdnsBrowsing extends Disposable {
  start(): void;
  requery(): void;
}

export interface MdnsDiscoveryOptions {
  browser: MdnsBrowserOptions;
  logger: Logger;
  probe: (target: { host: string; port: number }) => Promise<ProbeResult>;
  onSighting: (sighting: Sighting) => void;
  onLost: (claim: string) => void;
  createBrowser?: (options: MdnsBrowserOptions, listener: MdnsBrowserListener) => MdnsBrowsing;
}

/**
 * Turns mDNS services into sightings: each service is probed on its addresses until one responds
 * as Moonraker, and only then reported. A `_moonraker._tcp` service that does not respond is
 * probed again on every re-query. A hint that is not Moonraker is not tried again until its
 * records change.
 */
export class MdnsDiscovery implements Disposable {
  private readonly browser: MdnsBrowsing;
  /** Services already settled, by fqdn, with the targets they were settled on. */
  private readonly settled = new Map<string, string>();
  private readonly inFlight = new Set<string>();
  private readonly failures: LogRateLimiter;
  private disposed = false;

  constructor(private readonly options: MdnsDiscoveryOptions) {
    const listener: MdnsBrowserListener = {
      seen: (service) => void this.onSeen(service),
      lost: (service) => this.onLost(service),
    };
    const create = options.createBrowser ?? ((config, events) => new MdnsBrowser(config, events));
    this.browser = create(options.browser, listener);
    this.failures = new LogRateLimiter(10 * 60_000, 1, () => options.browser.clock.now());
  }

  start(): void {
    this.browser.start();
  }

  requery(): void {
    this.browser.requery();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.browser.dispose();
  }

  private async onSeen(service: MdnsService): Promise<void> {
    const targets = JSON.stringify(probeTargets(service));
    if (this.settled.get(service.fqdn) === targets || this.inFlight.has(service.fqdn)) return;
    this.inFlight.add(service.fqdn);
    try {
      const found = await this.probeService(service);
      if (this.disposed) return;
      if (found || service.kind !== 'moonraker') this.settled.set(service.fqdn, targets);
      if (found) this.options.onSighting(found);
    } finally {
      this.inFlight.delete(service.fqdn);
    }
  }

  private onLost(service: MdnsService): void {
    this.settled.delete(service.fqdn);
    this.options.onLost(service.fqdn);
  }

  /** Probes the service's targets in order and returns the first sighting, if any. */
  private async probeService(service: MdnsService): Promise<Sighting | undefined> {
    let last: ProbeResult | undefined;
    for (const target of probeTargets(service)) {
      const result = await this.options.probe(target);
      if (this.disposed) return undefined;
      if (result.kind === 'confirmed' || result.kind === 'unauthorized') {
        const mdns = { host: service.host, addresses: service.addresses };
        return { source: 'mdns', claim: service.fqdn, result, mdns };
      }
      last = result;
    }
    this.reportFailure(service, last);
    return undefined;
  }

  private reportFailure(service: MdnsService, result: ProbeResult | undefined): void {
    const { logger } = this.options;
    const fields = { fqdn: service.fqdn, addresses: service.addresses, port: service.port };
    if (service.kind !== 'moonraker') {
      logger.debug(fields, 'mDNS hint has no Moonraker on port 7125');
      return;
    }
    const dropped = this.failures.admit(service.fqdn);
    if (dropped === null) return;
    const reason = result && result.kind !== 'confirmed' ? result.error.message : 'no IPv4 address';
    logger.warn(
      { ...fields, reason, dropped },
      'Advertised Moonraker did not respond to the probe',
    );
  }
}
