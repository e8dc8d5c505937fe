import bonjourService from 'bonjour-service';
import multicastDns from 'multicast-dns';

import type { Clock, TimerHandle } from '../support/clock.js';
import type { Disposable } from '../support/disposable.js';
import { LogRateLimiter, type Logger } from '../support/logger.js';
import { isIpv4 } from './ipv4.js';
import { MOONRAKER_DEFAULT_PORT } from './moonraker-probe.js';

/**
 * Service types browsed. Moonraker's own `_moonraker._tcp` (its `[zeroconf]` component) names
 * the port. Many Klipper hosts advertise only the web UI (`_http._tcp`) or the machine itself
 * (`_workstation._tcp`, avahi's `publish-workstation`), so those are hints to try port 7125.
 */
export const BROWSED_TYPES = { moonraker: 'moonraker', http: 'http', workstation: 'workstation' };
export type MdnsServiceKind = keyof typeof BROWSED_TYPES;

export interface MdnsService {
  readonly kind: MdnsServiceKind;
  /** The service instance name, such as `Voron._moonraker._tcp.local`. */
  readonly fqdn: string;
  readonly name: string;
  /** The SRV target host, such as `voron.local`. */
  readonly host: string;
  readonly port: number;
  /** IPv4 addresses from the A records, else the address the response came from. */
  readonly addresses: readonly string[];
  readonly txt: Readonly<Record<string, string>>;
}

export interface MdnsBrowserListener {
  /** A service was announced, changed, or responded to a re-query. */
  seen(service: MdnsService): void;
  /** A service sent a goodbye or its record expired. */
  lost(service: MdnsService): void;
}

export interface MdnsBrowserOptions {
  /** Address of the interface to browse on; every interface when absent. */
  interfaceAddress?: string;
  /** Milliseconds between re-queries; 60 s by default. */
  requeryIntervalMs?: number;
  clock: Clock;
  logger: Logger;
  createMdns?: (options: multicastDns.Options) => multicastDns.MulticastDNS;
}

type BonjourBrowser = InstanceType<typeof bonjourService.Browser>;
type BonjourService = InstanceType<typeof bonjourService.Service>;

/**
 * Browses mDNS for Moonraker and the hint types through one multicast socket, re-querying on a
 * timer. Every service seen is reported, confirmed or not: the caller probes it.
 */
export class MdnsBrowser implements Disposable {
  private readonly logger: Logger;
  private readonly warnings: LogRateLimiter;
  private mdns: multicastDns.MulticastDNS | undefined;
  private browsers = new Map<MdnsServiceKind, BonjourBrowser>();
  private timer: TimerHandle | undefined;
  private disposed = false;

  constructor(
    private readonly options: MdnsBrowserOptions,
    private readonly listener: MdnsBrowserListener,
  ) {
    this.logger = options.logger.child({ component: 'mdns-browser' });
    this.warnings = new LogRateLimiter(60_000, 3, () => options.clock.now());
  }

  /** Opens the multicast socket and sends the first queries. */
  start(): void {
    if (this.disposed || this.mdns) return;
    const mdns = this.openSocket();
    this.mdns = mdns;
    for (const kind of Object.keys(BROWSED_TYPES) as MdnsServiceKind[]) {
      const browser = new bonjourService.Browser(mdns, { type: BROWSED_TYPES[kind] });
      browser.on('up', (service) => this.report('seen', kind, service));
      browser.on('srv-update', (service) => this.report('seen', kind, service));
      browser.on('down', (service) => this.report('lost', kind, service));
      this.browsers.set(kind, browser);
    }
    this.logger.info({ interfaceAddress: this.options.interfaceAddress }, 'mDNS browsing started');
    this.schedule();
  }

  /** Queries every type again and reports the services already known as seen. */
  requery(): void {
    if (this.disposed) return;
    for (const [kind, browser] of this.browsers) {
      browser.expire();
      browser.update();
      for (const service of browser.services) this.report('seen', kind, service);
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer) this.options.clock.clearTimeout(this.timer);
    for (const browser of this.browsers.values()) browser.stop();
    this.browsers.clear();
    this.mdns?.destroy();
    this.mdns = undefined;
    this.logger.info('mDNS browsing stopped');
  }

  private openSocket(): multicastDns.MulticastDNS {
    const address = this.options.interfaceAddress;
    // Binding to an interface address would filter out multicast traffic on Linux, so the
    // socket binds to every address and only joins the group on the chosen interface.
    const socketOptions = address ? { interface: address, bind: '0.0.0.0' } : {};
    const mdns = (this.options.createMdns ?? multicastDns)(socketOptions);
    mdns.on('error', (error: Error) => this.logger.error({ err: error }, 'mDNS socket failed'));
    mdns.on('warning', (error: Error) => this.warn(error));
    return mdns;
  }

  private warn(error: Error): void {
    const dropped = this.warnings.admit('warning');
    if (dropped === null) return;
    this.logger.warn({ err: error, dropped }, 'mDNS socket warning');
  }

  private schedule(): void {
    const interval = this.options.requeryIntervalMs ?? 60_000;
    this.timer = this.options.clock.setTimeout(() => {
      if (this.disposed) return;
      this.requery();
      this.schedule();
    }, interval);
  }

  private report(event: 'seen' | 'lost', kind: MdnsServiceKind, raw: BonjourService): void {
    if (this.disposed) return;
    const service = toMdnsService(kind, raw);
    if (!service) return;
    try {
      this.listener[event](service);
    } catch (error) {
      this.logger.error({ err: error, fqdn: service.fqdn }, 'mDNS listener failed');
    }
  }
}

/** Returns the addresses and port to probe: the advertised port, or 7125 for hints. */
export function probeTargets(service: MdnsService): { host: string; port: number }[] {
  const port = service.kind === 'moonraker' ? service.port : MOONRAKER_DEFAULT_PORT;
  return service.addresses.map((host) => ({ host, port }));
}

function toMdnsService(kind: MdnsServiceKind, raw: BonjourService): MdnsService | undefined {
  if (!raw.fqdn || !raw.port) return undefined;
  const advertised = (raw.addresses ?? []).filter(isIpv4);
  const referer = raw.referer?.address;
  // bonjour-service publishes no A record for a host with only loopback, and avahi sends
  // workstation records without one, so the sender's address is used instead.
  const addresses =
    advertised.length > 0 ? advertised : referer && isIpv4(referer) ? [referer] : [];
  return {
    kind,
    fqdn: raw.fqdn,
    name: raw.name,
    host: raw.host,
    port: raw.port,
    addresses,
    txt: textRecord(raw.txt),
  };
}

function textRecord(txt: unknown): Record<string, string> {
  if (typeof txt !== 'object' || txt === null) return {};
  return Object.fromEntries(Object.entries(txt).map(([key, value]) => [key, String(value)]));
}
