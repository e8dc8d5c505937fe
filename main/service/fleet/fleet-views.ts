import type {
  HealthLink,
  PrinterDetail,
  PrinterProbe,
  PrinterSummary,
} from '../../../shared/control-api/printer-views.js';
import type { BridgeSnapshot } from '../../bridge/bridge-snapshot.js';
import type { Clock } from '../../support/clock.js';
import { errorMessage } from '../../support/coded-error.js';
import { LogRateLimiter, type Logger } from '../../support/logger.js';
import type { FleetPrinterEntry } from './fleet-printer-entry.js';
import { deriveHealthChain } from './health-chain.js';
import type { LocalNetworkLookup } from './local-network.js';
import { buildPrinterDetail, buildPrinterSummary, type SummaryInput } from './printer-view.js';

export interface FleetViewsOptions {
  clock: Clock;
  logger: Logger;
  /** Sensors interval outside a watch window, read when a printer has no running bridge. */
  idleIntervalSeconds: () => number;
  localNetwork: LocalNetworkLookup;
  /** The latest probe of a printer without a running bridge. */
  standbyProbe: (printerId: string) => PrinterProbe | undefined;
  /** Called when a finished lookup changed what a printer's view shows. */
  changed(printerId: string): void;
}

/**
 * Builds the summaries and details of the fleet's printers and keeps their health timelines.
 * Every read of a bridge is guarded: a bridge that throws while being read shows as if it had
 * no snapshot, and the error is logged at most three times a minute per printer.
 */
export class FleetViews {
  private readonly readErrors: LogRateLimiter;

  constructor(private readonly options: FleetViewsOptions) {
    this.readErrors = new LogRateLimiter(60_000, 3, () => options.clock.monotonic());
  }

  summary(entry: FleetPrinterEntry): PrinterSummary {
    return buildPrinterSummary(this.summaryInput(entry));
  }

  detail(entry: FleetPrinterEntry): PrinterDetail {
    const bridge = entry.supervisor?.activeBridge;
    return buildPrinterDetail({
      ...this.summaryInput(entry),
      recentEvents: bridge ? this.guard(entry, () => bridge.recentEvents(), []) : [],
      commands: entry.history.list(),
      timeline: entry.timeline.timeline(),
    });
  }

  snapshot(entry: FleetPrinterEntry): BridgeSnapshot | undefined {
    return this.guard(entry, () => entry.snapshot(), undefined);
  }

  /** Derives the printer's health chain now and records it in its timeline. */
  refresh(entry: FleetPrinterEntry): HealthLink[] {
    return this.health(entry, this.snapshot(entry));
  }

  private summaryInput(entry: FleetPrinterEntry): SummaryInput {
    const snapshot = this.snapshot(entry);
    const probe = this.probeOf(entry);
    return {
      printer: entry.printer,
      linking: entry.linking,
      health: this.health(entry, snapshot, probe),
      ...(snapshot ? { snapshot } : {}),
      ...(entry.runnable ? {} : { standby: probe ?? null }),
      idleIntervalSeconds: this.options.idleIntervalSeconds(),
      ...(entry.temperatures.lastLiveAt === undefined
        ? {}
        : { lastLiveAt: entry.temperatures.lastLiveAt }),
    };
  }

  /** Returns the latest probe of a printer that has no bridge to run. */
  private probeOf(entry: FleetPrinterEntry): PrinterProbe | undefined {
    return entry.runnable ? undefined : this.options.standbyProbe(entry.id);
  }

  private health(
    entry: FleetPrinterEntry,
    snapshot: BridgeSnapshot | undefined,
    probe = this.probeOf(entry),
  ): HealthLink[] {
    this.lookUpTrustedEntry(entry, snapshot);
    const reports = deriveHealthChain({
      enabled: entry.printer.enabled,
      linked: entry.printer.credentials !== undefined,
      linking: entry.linking,
      ...(entry.supervisor ? { supervisor: entry.supervisor.status() } : {}),
      ...(snapshot ? { snapshot } : {}),
      ...(probe ? { probe } : {}),
      ...(entry.trustedEntry ? { trustedEntry: entry.trustedEntry } : {}),
    });
    return entry.timeline.update(reports, this.options.clock.now());
  }

  /** Looks up this computer's `trusted_clients` entry once Moonraker turned it away. */
  private lookUpTrustedEntry(entry: FleetPrinterEntry, snapshot: BridgeSnapshot | undefined) {
    const moonraker = snapshot?.moonraker;
    if (moonraker?.failure?.code !== 'unauthorized') return;
    if (entry.trustedLookupUrl === moonraker.url) return;
    entry.trustedLookupUrl = moonraker.url;

    const { hostname, port } = hostAndPort(moonraker.url);
    this.options.localNetwork(hostname, port).then(
      (found) => {
        if (!found || entry.trustedLookupUrl !== moonraker.url) return;
        entry.trustedEntry = found;
        this.options.changed(entry.id);
      },
      (error: unknown) => {
        const fields = { localPrinterId: entry.id, err: errorMessage(error) };
        this.options.logger.warn(fields, 'Looking up the local network failed');
      },
    );
  }

  private guard<T>(entry: FleetPrinterEntry, read: () => T, fallback: T): T {
    try {
      return read();
    } catch (error) {
      const suppressed = this.readErrors.admit(entry.id);
      if (suppressed !== null) {
        const fields = { localPrinterId: entry.id, err: errorMessage(error), suppressed };
        this.options.logger.error(fields, 'Reading the printer bridge failed');
      }
      return fallback;
    }
  }
}

function hostAndPort(url: string): { hostname: string; port: number } {
  try {
    const parsed = new URL(url);
    const port = Number(parsed.port) || (parsed.protocol === 'https:' ? 443 : 80);
    return { hostname: parsed.hostname.replace(/^\[|\]$/g, ''), port };
  } catch {
    return { hostname: url, port: 80 };
  }
}
