import type { DeviceCredentials } from '../../../shared/contract/device-http.js';
import type {
  PrinterDetail,
  PrinterSummary,
  TemperatureHistoryView,
} from '../../../shared/control-api/printer-views.js';
import type { BridgeChangeKind } from '../../bridge/bridge-events.js';
import type { BridgeSnapshot } from '../../bridge/bridge-snapshot.js';
import type { TimerHandle } from '../../support/clock.js';
import { CodedError, errorMessage } from '../../support/coded-error.js';
import { toDisposable, type Disposable } from '../../support/disposable.js';
import type { Logger } from '../../support/logger.js';
import { BridgeSupervisor } from './bridge-supervisor.js';
import { ChangeThrottle } from './change-throttle.js';
import { ConnectBudget } from './connect-budget.js';
import { createPrinterBridge, type FleetPrinter } from './fleet-bridge.js';
import {
  DEFAULT_CHANGE_INTERVAL_MS,
  DEFAULT_IDLE_INTERVAL_SECONDS,
  DEFAULT_STOP_TIMEOUT_MS,
  type FleetRuntimeOptions,
} from './fleet-options.js';
import { bridgeOptionsFor, FleetPrinterEntry } from './fleet-printer-entry.js';
import { FleetViews } from './fleet-views.js';
import { HeldConnectGate } from './held-connect-gate.js';
import type { TimelineEntry } from './health-timeline.js';
import { lookupLocalNetwork } from './local-network.js';
import { moonrakerStandbyProbe, probeTargetOf, StandbyProbes } from './standby-probes.js';
import { startDelays } from './start-stagger.js';
import { TEMPERATURE_SAMPLE_INTERVAL_MS } from './temperature-history.js';

/** A sensors rate set from the local UI, as `printers.setTelemetryRate` carries it. */
export interface LocalTelemetryRate {
  mode: 'idle' | 'watch';
  intervalSeconds?: number;
  durationSeconds?: number;
}

/** Settings of a printer whose change restarts its bridge; `null` removes the value. */
export interface PrinterReconfiguration {
  moonrakerUrl?: string;
  apiKey?: string | null;
  credentials?: DeviceCredentials | null;
}

/** Changes after which the health chain is derived at once rather than on the next tick. */
const IMMEDIATE_HEALTH_CHANGES: ReadonlySet<BridgeChangeKind | 'supervisor'> = new Set([
  'supervisor',
  'state',
  'moonraker',
  'mqtt',
]);

/** Settings every bridge shares; changing them restarts the bridges. */
export interface SharedBridgeSettings {
  cloud?: FleetRuntimeOptions['cloud'];
  telemetry?: FleetRuntimeOptions['telemetry'];
}

/**
 * The printers of the service and one supervised bridge for each that is enabled and linked,
 * keyed by the printer's local id. Printers are added, removed, renamed, enabled and disabled at
 * runtime without touching the others. Each bridge is isolated in its own supervisor, which
 * restarts it after a crash. Every MQTT connect attempt of every bridge keeps an admission of
 * one `ConnectBudget` until the bridge reports the attempt's outcome, so a token request between
 * admission and CONNECT cannot bunch the connects. A fleet that starts together spreads its
 * first starts (`start`).
 */
export class FleetRuntime implements Disposable {
  private readonly entries = new Map<string, FleetPrinterEntry>();
  private readonly listeners = new Set<(printerId: string) => void>();
  private readonly budget: ConnectBudget;
  private readonly throttle: ChangeThrottle;
  private readonly logger: Logger;
  private readonly views: FleetViews;
  private readonly probes: StandbyProbes;
  private stopping: Promise<void> | undefined;
  private sampleTimer: TimerHandle | undefined;
  private shared: Required<Pick<FleetRuntimeOptions, 'cloud'>> & SharedBridgeSettings;

  /** Throws `invalid_budget` when the budget options are out of range. */
  constructor(private readonly options: FleetRuntimeOptions) {
    this.logger = options.logger.child({ component: 'fleet' });
    this.shared = {
      cloud: options.cloud,
      ...(options.telemetry ? { telemetry: options.telemetry } : {}),
    };
    this.budget = new ConnectBudget({ clock: options.clock, ...options.budget });
    const intervalMs = options.changeIntervalMs ?? DEFAULT_CHANGE_INTERVAL_MS;
    this.throttle = new ChangeThrottle(options.clock, intervalMs, (id) => this.emitChange(id));
    this.probes = new StandbyProbes({
      clock: options.clock,
      logger: this.logger,
      probe: options.probe ?? moonrakerStandbyProbe(options.clock),
      ...(options.standbyProbeIntervalMs ? { intervalMs: options.standbyProbeIntervalMs } : {}),
      ...(options.random ? { random: options.random } : {}),
      changed: (id) => this.throttle.notify(id),
    });
    this.views = new FleetViews({
      clock: options.clock,
      logger: this.logger,
      idleIntervalSeconds: () =>
        this.shared.telemetry?.sensorsIntervalSeconds ?? DEFAULT_IDLE_INTERVAL_SECONDS,
      localNetwork: options.localNetwork ?? lookupLocalNetwork,
      standbyProbe: (id) => this.probes.latest(id),
      changed: (id) => this.throttle.notify(id),
    });
  }

  /**
   * Adds the printers of the settings at start-up. The bridges start at random times spread
   * over min(30 s, n × 100 ms), and their MQTT connects then queue for the connect budget.
   */
  start(printers: readonly FleetPrinter[]): void {
    const entries = printers.map((printer) => this.createEntry(printer));
    const runnable = entries.filter((entry) => entry.runnable);
    const delays = startDelays(runnable.length, this.random, this.options.stagger);
    runnable.forEach((entry, index) => this.launch(entry, delays[index] ?? 0));
    const standby = entries.filter((entry) => !entry.runnable);
    const probeDelays = startDelays(standby.length, this.random, this.options.stagger);
    standby.forEach((entry, index) => this.syncStandby(entry, probeDelays[index] ?? 0));
    this.logger.info(
      { printers: entries.length, bridges: runnable.length, spreadMs: Math.max(0, ...delays) },
      'Fleet started',
    );
  }

  /** Adds one printer and starts its bridge at once when it is enabled and linked. */
  add(printer: FleetPrinter): PrinterSummary {
    const entry = this.createEntry(printer);
    if (entry.runnable) this.launch(entry, 0);
    this.syncStandby(entry);
    this.throttle.notify(printer.id);
    this.logger.info({ localPrinterId: printer.id, printer: printer.name }, 'Printer added');
    return this.summary(printer.id);
  }

  /** Stops the printer's bridge and removes the printer from the fleet. */
  async remove(printerId: string): Promise<void> {
    const entry = this.entry(printerId);
    this.entries.delete(printerId);
    this.throttle.forget(printerId);
    this.probes.unwatch(printerId);
    await entry.serialize(() => this.halt(entry));
    this.logger.info({ localPrinterId: printerId }, 'Printer removed');
  }

  /** Renames the printer; its bridge keeps running and uses the new name from its next start. */
  rename(printerId: string, name: string): PrinterSummary {
    const entry = this.entry(printerId);
    entry.printer = { ...entry.printer, name };
    this.throttle.notify(printerId);
    return this.summary(printerId);
  }

  /** Starts or stops the printer's bridge. */
  async setEnabled(printerId: string, enabled: boolean): Promise<PrinterSummary> {
    const entry = this.entry(printerId);
    if (entry.printer.enabled === enabled) return this.summary(printerId);
    entry.printer = { ...entry.printer, enabled };
    // Nothing else announces the change for a printer without a bridge.
    this.throttle.notify(printerId);
    await entry.serialize(async () => {
      await this.halt(entry);
      if (entry.runnable && this.entries.get(printerId) === entry) this.launch(entry, 0);
    });
    if (this.entries.get(printerId) === entry) this.syncStandby(entry);
    this.logger.info({ localPrinterId: printerId, enabled }, 'Printer enabled state changed');
    return this.summary(printerId);
  }

  /** Changes the address, API key or credentials and restarts the bridge with them. */
  async reconfigure(printerId: string, changes: PrinterReconfiguration): Promise<PrinterSummary> {
    const entry = this.entry(printerId);
    entry.printer = applyReconfiguration(entry.printer, changes);
    entry.trustedEntry = undefined;
    entry.trustedLookupUrl = undefined;
    // A printer without a bridge has nothing else that announces its new address or API key.
    this.throttle.notify(printerId);
    await entry.serialize(async () => {
      await this.halt(entry);
      if (entry.runnable && this.entries.get(printerId) === entry) this.launch(entry, 0);
    });
    if (this.entries.get(printerId) === entry) this.syncStandby(entry);
    return this.summary(printerId);
  }

  /** Marks a link flow as running for the printer, which its summary shows as `linking`. */
  setLinking(printerId: string, linking: boolean): void {
    this.entry(printerId).linking = linking;
    this.throttle.notify(printerId);
  }

  /** Applies a sensors rate through the running bridge. Throws `not_found`, `not_linked`, `busy`. */
  setTelemetryRate(printerId: string, rate: LocalTelemetryRate): PrinterSummary {
    const entry = this.entry(printerId);
    const bridge = entry.supervisor?.activeBridge;
    if (!entry.printer.credentials) {
      throw new CodedError('not_linked', `Printer ${entry.printer.name} is not linked yet`);
    }
    if (!bridge || bridge.state !== 'running') {
      const why = entry.printer.enabled ? 'its bridge is not running right now' : 'it is disabled';
      throw new CodedError(
        'busy',
        `Cannot set the telemetry rate of ${entry.printer.name}: ${why}`,
      );
    }
    bridge.setTelemetryRate({
      mode: rate.mode,
      ...(rate.intervalSeconds === undefined ? {} : { intervalSeconds: rate.intervalSeconds }),
      ...(rate.durationSeconds === undefined ? {} : { durationSeconds: rate.durationSeconds }),
      issuedAt: this.options.clock.now(),
    });
    return this.summary(printerId);
  }

  /**
   * Replaces the cloud addresses or telemetry settings and restarts every running bridge with
   * them, spread like a fleet start.
   */
  async updateShared(settings: SharedBridgeSettings): Promise<void> {
    this.shared = { ...this.shared, ...settings };
    const running = [...this.entries.values()].filter((entry) => entry.supervisor);
    const delays = startDelays(running.length, this.random, this.options.stagger);
    this.logger.info({ bridges: running.length }, 'Restarting the bridges with new settings');
    await Promise.all(
      running.map((entry, index) =>
        entry.serialize(async () => {
          await this.halt(entry);
          if (entry.runnable && this.entries.get(entry.id) === entry) {
            this.launch(entry, delays[index] ?? 0);
          }
        }),
      ),
    );
  }

  has(printerId: string): boolean {
    return this.entries.has(printerId);
  }

  /** True when the printer has device credentials, which is what linked means. Throws `not_found`. */
  hasCredentials(printerId: string): boolean {
    return this.entry(printerId).printer.credentials !== undefined;
  }

  ids(): string[] {
    return [...this.entries.keys()];
  }

  /** Builds the printer's row for the fleet view. Throws `not_found`. */
  summary(printerId: string): PrinterSummary {
    return this.views.summary(this.entry(printerId));
  }

  summaries(): PrinterSummary[] {
    return this.ids().map((id) => this.summary(id));
  }

  /** Builds the printer's detail view with events, commands and health timeline. Throws `not_found`. */
  detail(printerId: string): PrinterDetail {
    return this.views.detail(this.entry(printerId));
  }

  /** Returns the printer's temperatures of the last ten minutes. Throws `not_found`. */
  temperatureHistory(printerId: string): TemperatureHistoryView {
    return this.entry(printerId).temperatures.view(this.options.clock.now());
  }

  /** Returns the printer's remembered health transitions, oldest first. Throws `not_found`. */
  timeline(printerId: string): TimelineEntry[] {
    return this.entry(printerId).timeline.timeline();
  }

  /** Snapshots of the running bridges, for the local health endpoint. */
  snapshots(): BridgeSnapshot[] {
    return [...this.entries.values()].flatMap((entry) => {
      const snapshot = this.views.snapshot(entry);
      return snapshot ? [snapshot] : [];
    });
  }

  /**
   * Calls `listener` with a printer's id whenever its summary may read differently, at most
   * once per `changeIntervalMs` (250 ms) for each printer.
   */
  onChange(listener: (printerId: string) => void): Disposable {
    this.listeners.add(listener);
    return toDisposable(() => this.listeners.delete(listener));
  }

  /**
   * Stops every bridge gracefully and in parallel, each within `deadlineMs`. Calling it again
   * returns the same promise.
   */
  stop(deadlineMs = this.options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS): Promise<void> {
    this.stopping ??= this.stopAll(deadlineMs);
    return this.stopping;
  }

  dispose(): void {
    void this.stop();
  }

  private async stopAll(deadlineMs: number): Promise<void> {
    const entries = [...this.entries.values()];
    this.logger.info({ bridges: entries.length, deadlineMs }, 'Stopping the fleet');
    this.probes.dispose();
    if (this.sampleTimer) this.options.clock.clearTimeout(this.sampleTimer);
    this.sampleTimer = undefined;
    await Promise.all(entries.map((entry) => entry.serialize(() => this.halt(entry, deadlineMs))));
    this.throttle.dispose();
    this.budget.dispose();
    this.listeners.clear();
    this.logger.info('Fleet stopped');
  }

  private createEntry(printer: FleetPrinter): FleetPrinterEntry {
    if (this.stopping) throw new CodedError('fleet_stopped', 'The fleet has been stopped');
    if (this.entries.has(printer.id)) {
      throw new CodedError('already_exists', `Printer ${printer.id} is already in the fleet`);
    }
    const entry = new FleetPrinterEntry(
      { ...printer },
      this.options.clock,
      this.options.timelineLimit,
    );
    this.entries.set(printer.id, entry);
    this.armTemperatureSampling();
    return entry;
  }

  /**
   * Samples every printer's temperatures each `TEMPERATURE_SAMPLE_INTERVAL_MS` on one timer for
   * the whole fleet. A printer's snapshot is read only when its bridge reported a change.
   */
  private armTemperatureSampling(): void {
    if (this.sampleTimer || this.stopping) return;
    this.sampleTimer = this.options.clock.setTimeout(() => {
      this.sampleTimer = undefined;
      const now = this.options.clock.now();
      for (const entry of this.entries.values()) {
        entry.temperatures.sample(now, () => this.views.snapshot(entry));
      }
      this.armTemperatureSampling();
    }, TEMPERATURE_SAMPLE_INTERVAL_MS);
  }

  /**
   * Probes a printer that has no bridge to run, first after `delayMs`, and stops probing one
   * whose bridge runs, since the bridge then reports its health.
   */
  private syncStandby(entry: FleetPrinterEntry, delayMs = 0): void {
    if (entry.runnable || this.stopping) {
      this.probes.unwatch(entry.id);
      return;
    }
    this.probes.watch(entry.id, probeTargetOf(entry.printer), delayMs);
  }

  private launch(entry: FleetPrinterEntry, delayMs: number): void {
    if (this.stopping) return;
    const supervisor = new BridgeSupervisor({
      createBridge: () => this.createBridge(entry),
      clock: this.options.clock,
      logger: this.logger.child({ localPrinterId: entry.id, printer: entry.printer.name }),
      ...(this.options.random ? { random: this.options.random } : {}),
      ...(this.options.restart ? { restart: this.options.restart } : {}),
      ...(this.options.startTimeoutMs ? { startTimeoutMs: this.options.startTimeoutMs } : {}),
      onChange: (kind) => this.onBridgeChange(entry, kind),
    });
    entry.supervisor = supervisor;
    supervisor.start(delayMs);
  }

  private createBridge(entry: FleetPrinterEntry) {
    const shared = { ...this.options, ...this.shared };
    entry.connectGate?.dispose();
    const gate = new HeldConnectGate(this.budget);
    entry.connectGate = gate;
    const options = bridgeOptionsFor(entry, shared, gate.gate);
    return (this.options.createBridge ?? createPrinterBridge)(options);
  }

  /** Stops the printer's supervisor, if it has one, and drops it. */
  private async halt(entry: FleetPrinterEntry, deadlineMs?: number): Promise<void> {
    const supervisor = entry.supervisor;
    if (!supervisor) return;
    await supervisor.stop(deadlineMs ?? this.options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS);
    entry.connectGate?.dispose();
    entry.connectGate = undefined;
    if (entry.supervisor === supervisor) entry.supervisor = undefined;
    entry.temperatures.markChanged();
    this.throttle.notify(entry.id);
  }

  /**
   * Records the health of lifecycle and connection changes at once, so that the timeline keeps
   * even a state that lasts less than the change interval. Printer data changes many times a
   * second and is only derived when the throttled notification goes out.
   */
  private onBridgeChange(entry: FleetPrinterEntry, kind: BridgeChangeKind | 'supervisor'): void {
    // A change of the MQTT connection after its gate is the outcome of the attempt: connected,
    // or failed with or without its CONNECT having gone out.
    if (kind === 'mqtt') entry.connectGate?.settle();
    entry.temperatures.markChanged();
    if (IMMEDIATE_HEALTH_CHANGES.has(kind)) this.views.refresh(entry);
    this.throttle.notify(entry.id);
  }

  private emitChange(printerId: string): void {
    const entry = this.entries.get(printerId);
    if (!entry) return;
    this.views.refresh(entry);
    for (const listener of [...this.listeners]) {
      try {
        listener(printerId);
      } catch (error) {
        this.logger.error(
          { localPrinterId: printerId, err: errorMessage(error) },
          'A fleet change listener threw',
        );
      }
    }
  }

  private entry(printerId: string): FleetPrinterEntry {
    const entry = this.entries.get(printerId);
    if (!entry) throw new CodedError('not_found', `Printer ${printerId} is not in the fleet`);
    return entry;
  }

  private get random(): () => number {
    return this.options.random ?? Math.random;
  }
}

function applyReconfiguration(
  printer: FleetPrinter,
  changes: PrinterReconfiguration,
): FleetPrinter {
  const next: FleetPrinter = { ...printer };
  if (changes.moonrakerUrl !== undefined) next.moonrakerUrl = changes.moonrakerUrl;
  if (changes.apiKey === null) delete next.apiKey;
  else if (changes.apiKey !== undefined) next.apiKey = changes.apiKey;
  if (changes.credentials === null) delete next.credentials;
  else if (changes.credentials !== undefined) next.credentials = changes.credentials;
  return next;
}
