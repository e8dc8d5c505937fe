import type {
  DiscoveredPrinter,
  NetworkInterfaceView,
  SweepProgress,
} from '../../shared/control-api/printer-views.js';
import { ListenerSet } from '../support/listener-set.js';
import { systemClock, type Clock } from '../support/clock.js';
import type { Disposable } from '../support/disposable.js';
import type { Logger } from '../support/logger.js';
import { discoveryError, formatTarget } from './discovery-errors.js';
import { DiscoveryRegistry, type Sighting } from './discovery-registry.js';
import type { HttpRequestFunction } from '../support/http-request.js';
import type { MdnsBrowserListener, MdnsBrowserOptions } from './mdns-browser.js';
import { MdnsDiscovery, type MdnsBrowsing } from './mdns-discovery.js';
import { parseHostInput } from './host-input.js';
import { MOONRAKER_DEFAULT_PORT, probeMoonraker, type ProbeResult } from './moonraker-probe.js';
import {
  listNetworkInterfaces,
  systemInterfaces,
  type InterfaceSource,
} from './network-interfaces.js';
import { SweepRunner, type SweepRequest } from './sweep-runner.js';

export interface DiscoveryServiceOptions {
  logger: Logger;
  clock?: Clock;
  /** Sends the probes' HTTP requests, with `sendHttpRequest` over `node:http` by default. */
  request?: HttpRequestFunction;
  interfaces?: InterfaceSource;
  /** Browse mDNS after `start`; true by default. */
  mdns?: boolean;
  /** Interface address to browse and sweep on; every interface (mDNS) when absent. */
  interfaceAddress?: string;
  /** Milliseconds between mDNS re-queries; 60 s by default. */
  requeryIntervalMs?: number;
  /** Deadline of each HTTP request of a probe; 3 s by default. */
  probeTimeoutMs?: number;
  createMdnsBrowser?: (options: MdnsBrowserOptions, listener: MdnsBrowserListener) => MdnsBrowsing;
  createSweepId?: () => string;
}

type ServiceState = 'created' | 'running' | 'disposed';

const TRANSITIONS: Record<ServiceState, readonly ServiceState[]> = {
  created: ['running', 'disposed'],
  running: ['disposed'],
  disposed: [],
};

/**
 * Finds Moonraker printers on the LAN through mDNS, subnet sweeps and manual probes. Every
 * source goes through the same HTTP probe, and the findings merge into one list by instance.
 */
export class DiscoveryService implements Disposable {
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly registry = new DiscoveryRegistry();
  private readonly changes: ListenerSet<[DiscoveredPrinter[]]>;
  private readonly sweeps: SweepRunner;
  private readonly controller = new AbortController();
  /** API keys entered for manual probes, by `host:port`, so refreshes can send them again. */
  private readonly apiKeys = new Map<string, string>();
  private mdns: MdnsDiscovery | undefined;
  private interfaceAddress: string | undefined;
  private state: ServiceState = 'created';
  private lastSnapshot = '[]';

  constructor(private readonly options: DiscoveryServiceOptions) {
    this.logger = options.logger.child({ component: 'discovery' });
    this.clock = options.clock ?? systemClock;
    this.interfaceAddress = options.interfaceAddress;
    const onListenerError = (error: unknown): void =>
      this.logger.error({ err: error }, 'Discovery listener failed');
    this.changes = new ListenerSet(onListenerError);
    this.sweeps = new SweepRunner({
      clock: this.clock,
      logger: this.logger,
      interfaces: () => this.interfaces(),
      probe: (target) => this.probeTarget(target),
      onFound: (sighting) => this.record(sighting),
      onListenerError,
      createId: options.createSweepId,
    });
  }

  /** Starts browsing mDNS, unless disabled. */
  start(): void {
    if (this.state !== 'created') return;
    this.transition('running');
    if (this.options.mdns !== false) this.startMdns();
  }

  list(): DiscoveredPrinter[] {
    return this.registry.list();
  }

  /** Calls the listener with the whole list whenever it changes. */
  onChange(listener: (printers: DiscoveredPrinter[]) => void): Disposable {
    return this.changes.add(listener);
  }

  onSweepProgress(listener: (progress: SweepProgress) => void): Disposable {
    return this.sweeps.onProgress(listener);
  }

  interfaces(): NetworkInterfaceView[] {
    return listNetworkInterfaces(this.options.interfaces ?? systemInterfaces);
  }

  /**
   * Probes an address entered by hand and lists the Moonraker found there. Resolves with the entry for
   * Moonraker, including one that requests authorization (`state: 'unauthorized'`, with the
   * `trusted_clients` hint). Rejects with `unreachable` or `not_moonraker` otherwise, and with
   * `invalid_arguments` for a bad host or port. The host may carry the port, as in `host:7125`.
   */
  async probe(host: string, port?: number, apiKey?: string): Promise<DiscoveredPrinter> {
    const input = parseHostInput(host, port);
    const target = { host: input.host, port: input.port ?? MOONRAKER_DEFAULT_PORT };
    if (apiKey) this.apiKeys.set(formatTarget(target), apiKey);
    const result = await this.probeTarget(target);
    if (result.kind === 'unreachable' || result.kind === 'not_moonraker') throw result.error;
    const entry = this.record({ source: 'manual', claim: formatTarget(target), result });
    if (!entry) throw stoppedError();
    return entry;
  }

  /** Queries mDNS again and probes every listed printer, marking the silent ones unreachable. */
  async refresh(): Promise<void> {
    this.mdns?.requery();
    const targets = this.registry.targets();
    await Promise.all(targets.map((target) => this.reprobe(target)));
  }

  /** Starts a sweep; throws `busy` while one runs and `invalid_arguments` for a bad request. */
  startSweep(request: SweepRequest = {}): SweepProgress {
    this.assertNotDisposed();
    const interfaceAddress = request.interfaceAddress ?? this.interfaceAddress;
    return this.sweeps.start({ ...request, interfaceAddress });
  }

  /** Cancels a sweep. Throws `not_found` for an id that was never started. */
  cancelSweep(sweepId: string): void {
    this.sweeps.cancel(sweepId);
  }

  /** Notes which printer of the fleet came from an entry, or clears it. */
  setPrinterId(key: string, printerId: string | undefined): void {
    if (this.registry.setPrinterId(key, printerId)) this.emitIfChanged();
  }

  /** Browses on another interface, or on all when `undefined`. */
  setInterfaceAddress(interfaceAddress: string | undefined): void {
    if (this.interfaceAddress === interfaceAddress) return;
    this.interfaceAddress = interfaceAddress;
    if (!this.mdns) return;
    this.mdns.dispose();
    this.startMdns();
  }

  dispose(): void {
    if (this.state === 'disposed') return;
    this.transition('disposed');
    this.controller.abort();
    this.sweeps.dispose();
    this.mdns?.dispose();
    this.mdns = undefined;
    this.changes.clear();
  }

  private startMdns(): void {
    this.mdns = new MdnsDiscovery({
      browser: {
        interfaceAddress: this.interfaceAddress,
        requeryIntervalMs: this.options.requeryIntervalMs,
        clock: this.clock,
        logger: this.logger,
      },
      logger: this.logger,
      probe: (target) => this.probeTarget(target),
      onSighting: (sighting) => this.record(sighting),
      onLost: (claim) => {
        if (this.registry.withdraw('mdns', claim)) this.emitIfChanged();
      },
      createBrowser: this.options.createMdnsBrowser,
    });
    this.mdns.start();
  }

  private probeTarget(target: {
    host: string;
    port: number;
    timeoutMs?: number;
    signal?: AbortSignal;
  }): Promise<ProbeResult> {
    const ownSignal = this.controller.signal;
    return probeMoonraker({
      host: target.host,
      port: target.port,
      apiKey: this.apiKeys.get(formatTarget(target)),
      timeoutMs: target.timeoutMs ?? this.options.probeTimeoutMs ?? 3000,
      ...(this.options.request ? { request: this.options.request } : {}),
      clock: this.clock,
      signal: target.signal ? AbortSignal.any([ownSignal, target.signal]) : ownSignal,
      interfaces: this.options.interfaces,
    });
  }

  private async reprobe(target: { key: string; host: string; port: number }): Promise<void> {
    const result: ProbeResult = await this.probeTarget(target);
    if (this.state === 'disposed') return;
    const changed =
      result.kind === 'confirmed' || result.kind === 'unauthorized'
        ? this.registry.reprobed(target.key, result)
        : this.registry.markUnreachable(target.key, result.error.message);
    if (changed) this.emitIfChanged();
  }

  /** Lists a sighting; returns its entry, or undefined once disposed. */
  private record(sighting: Sighting): DiscoveredPrinter | undefined {
    if (this.state === 'disposed') return undefined;
    const entry = this.registry.record(sighting);
    this.logger.debug({ key: entry.key, source: sighting.source }, 'Printer sighted');
    this.emitIfChanged();
    return entry;
  }

  private emitIfChanged(): void {
    const list = this.registry.list();
    const snapshot = JSON.stringify(list);
    if (snapshot === this.lastSnapshot) return;
    this.lastSnapshot = snapshot;
    this.changes.emit(list);
  }

  private transition(next: ServiceState): void {
    if (!TRANSITIONS[this.state].includes(next)) {
      throw new Error(`Discovery service cannot go from ${this.state} to ${next}`);
    }
    this.state = next;
  }

  private assertNotDisposed(): void {
    if (this.state === 'disposed') throw stoppedError();
  }
}

function stoppedError() {
  return discoveryError('busy', 'Discovery has stopped because the app is shutting down.');
}
