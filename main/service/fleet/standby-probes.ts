import type { PrinterProbe } from '../../../shared/control-api/printer-views.js';
import { probeMoonraker, type ProbeResult } from '../../discovery/moonraker-probe.js';
import type { Clock, TimerHandle } from '../../support/clock.js';
import { errorMessage } from '../../support/coded-error.js';
import type { Disposable } from '../../support/disposable.js';
import type { Logger } from '../../support/logger.js';
import type { FleetPrinter } from './fleet-bridge.js';
import { printerProbeOf } from './printer-probe.js';

/** Target of one probe: a printer's host, port and API key. */
export interface ProbeTarget {
  host: string;
  port: number;
  apiKey?: string;
}

/** Probes one Moonraker; resolves for every network outcome, as `probeMoonraker` does. */
export type StandbyProbe = (target: ProbeTarget, signal: AbortSignal) => Promise<ProbeResult>;

export interface StandbyProbesOptions {
  clock: Clock;
  logger: Logger;
  probe: StandbyProbe;
  /** Time between two probes of one printer; 45 000 ms by default. */
  intervalMs?: number;
  random?: () => number;
  /** Called when a finished probe changed what a printer's view shows. */
  changed(printerId: string): void;
}

export const DEFAULT_STANDBY_PROBE_INTERVAL_MS = 45_000;

/** Each wait is shortened by up to this share, so printers added together drift apart. */
const INTERVAL_JITTER = 0.2;

interface Watched {
  target: ProbeTarget;
  timer: TimerHandle | undefined;
  abort: AbortController | undefined;
  latest: PrinterProbe | undefined;
}

/**
 * Probes the printers that have no running bridge, because they are unlinked or disabled, so
 * their views show whether they can be reached, whether Moonraker lets this computer in and what
 * state Klippy is in. One probe per printer runs at a time, every `intervalMs`, and `watch`
 * probes at once after a printer was added or changed.
 */
export class StandbyProbes implements Disposable {
  private readonly watched = new Map<string, Watched>();
  private readonly intervalMs: number;
  private disposed = false;

  constructor(private readonly options: StandbyProbesOptions) {
    this.intervalMs = options.intervalMs ?? DEFAULT_STANDBY_PROBE_INTERVAL_MS;
  }

  /** Returns the latest probe of a watched printer, or undefined before the first finished. */
  latest(printerId: string): PrinterProbe | undefined {
    return this.watched.get(printerId)?.latest;
  }

  /**
   * Starts or restarts probing one printer, first after `delayMs`. A new target drops the
   * previous result, since it may describe another address or API key.
   */
  watch(printerId: string, target: ProbeTarget, delayMs = 0): void {
    if (this.disposed) return;
    const previous = this.watched.get(printerId);
    const sameTarget = previous && JSON.stringify(previous.target) === JSON.stringify(target);
    this.stopTimers(previous);
    const watched: Watched = {
      target,
      timer: undefined,
      abort: undefined,
      latest: sameTarget ? previous.latest : undefined,
    };
    this.watched.set(printerId, watched);
    this.schedule(printerId, watched, delayMs);
  }

  /** Stops probing a printer, as when its bridge starts or it is removed. */
  unwatch(printerId: string): void {
    this.stopTimers(this.watched.get(printerId));
    this.watched.delete(printerId);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const watched of this.watched.values()) this.stopTimers(watched);
    this.watched.clear();
  }

  private schedule(printerId: string, watched: Watched, delayMs: number): void {
    watched.timer = this.options.clock.setTimeout(() => {
      watched.timer = undefined;
      void this.run(printerId, watched);
    }, delayMs);
  }

  private async run(printerId: string, watched: Watched): Promise<void> {
    const abort = new AbortController();
    watched.abort = abort;
    let result: ProbeResult | undefined;
    try {
      result = await this.options.probe(watched.target, abort.signal);
    } catch (error) {
      const fields = { localPrinterId: printerId, err: errorMessage(error) };
      this.options.logger.warn(fields, 'Probing a printer without a bridge failed');
    }
    if (this.disposed || abort.signal.aborted || this.watched.get(printerId) !== watched) return;
    watched.abort = undefined;
    if (result) this.record(printerId, watched, printerProbeOf(result, this.options.clock.now()));
    this.schedule(printerId, watched, this.nextDelayMs());
  }

  private record(printerId: string, watched: Watched, probe: PrinterProbe): void {
    const before = watched.latest;
    watched.latest = probe;
    if (before?.outcome !== probe.outcome) {
      const fields = { localPrinterId: printerId, outcome: probe.outcome };
      this.options.logger.info(fields, `Printer probe: ${probe.summary}`);
    }
    this.options.changed(printerId);
  }

  private nextDelayMs(): number {
    const random = this.options.random ?? Math.random;
    return Math.round(this.intervalMs * (1 - INTERVAL_JITTER * random()));
  }

  private stopTimers(watched: Watched | undefined): void {
    if (!watched) return;
    if (watched.timer !== undefined) this.options.clock.clearTimeout(watched.timer);
    watched.timer = undefined;
    watched.abort?.abort();
    watched.abort = undefined;
  }
}

/**
 * Returns where to probe a printer, from its Moonraker URL.
 * NOTE: `probeMoonraker` speaks plain HTTP to host and port, so an https URL or a base path behind
 * a reverse proxy is probed at the wrong address and may read as unreachable.
 */
export function probeTargetOf(printer: FleetPrinter): ProbeTarget {
  const url = new URL(printer.moonrakerUrl);
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return { host, port, ...(printer.apiKey ? { apiKey: printer.apiKey } : {}) };
}

/** Deadline of each HTTP request of a standby probe, as discovery uses. */
const STANDBY_PROBE_TIMEOUT_MS = 3_000;

/** Probes with `probeMoonraker`, each HTTP request within 3 s. */
export function moonrakerStandbyProbe(clock: Clock): StandbyProbe {
  return (target, signal) =>
    probeMoonraker({ ...target, timeoutMs: STANDBY_PROBE_TIMEOUT_MS, clock, signal });
}
