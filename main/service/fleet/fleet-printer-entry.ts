import { join } from 'node:path';

import type { PrinterBridgeOptions } from '../../bridge/bridge-options.js';
import type { BridgeSnapshot } from '../../bridge/bridge-snapshot.js';
import { CommandHistory } from '../../bridge/command-history.js';
import type { Clock } from '../../support/clock.js';
import type { FleetPrinter } from './fleet-bridge.js';
import type { FleetRuntimeOptions } from './fleet-options.js';
import { HealthTimeline } from './health-timeline.js';
import type { BridgeSupervisor } from './bridge-supervisor.js';
import type { HeldConnectGate } from './held-connect-gate.js';
import type { ConnectGate } from '../../cloud/connect-loop.js';
import { TemperatureHistory } from './temperature-history.js';

/**
 * The fleet's record of one printer, kept across restarts of its bridge: its settings, its
 * supervisor while it runs, and the command history, health timeline and temperature history
 * that outlive bridges.
 */
export class FleetPrinterEntry {
  supervisor: BridgeSupervisor | undefined;
  /** The connect gate of the current bridge, which keeps its admissions until their outcome. */
  connectGate: HeldConnectGate | undefined;
  linking = false;
  /** The `trusted_clients` entry found for `trustedLookupUrl`. */
  trustedEntry: string | undefined;
  trustedLookupUrl: string | undefined;
  readonly history: CommandHistory;
  readonly timeline: HealthTimeline;
  readonly temperatures = new TemperatureHistory();
  /** Settles when the latest queued start, stop or restart of this printer has finished. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    public printer: FleetPrinter,
    clock: Clock,
    timelineLimit: number | undefined,
  ) {
    this.history = new CommandHistory(() => clock.now());
    this.timeline = new HealthTimeline(timelineLimit);
  }

  get id(): string {
    return this.printer.id;
  }

  /** Whether a bridge should run: enabled and linked. */
  get runnable(): boolean {
    return this.printer.enabled && this.printer.credentials !== undefined;
  }

  /** Runs `operation` after every operation queued before it, so two never overlap. */
  serialize(operation: () => Promise<void>): Promise<void> {
    const next = this.queue.then(operation);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Returns the running bridge's snapshot, or undefined when none runs. */
  snapshot(): BridgeSnapshot | undefined {
    return this.supervisor?.activeBridge?.snapshot();
  }
}

/** Builds a bridge's options from the printer's settings and the fleet's shared ones. */
export function bridgeOptionsFor(
  entry: FleetPrinterEntry,
  options: FleetRuntimeOptions,
  connectGate: ConnectGate,
): PrinterBridgeOptions {
  const { printer } = entry;
  const credentials = printer.credentials;
  if (!credentials) throw new Error(`Printer ${printer.id} has no credentials to bridge with`);
  return {
    name: printer.name,
    moonraker: { url: printer.moonrakerUrl, ...(printer.apiKey ? { apiKey: printer.apiKey } : {}) },
    cloud: options.cloud,
    credentials,
    dataDir: join(options.dataDir, 'devices', credentials.deviceId),
    version: options.version,
    clock: options.clock,
    logger: options.logger.child({ localPrinterId: printer.id }),
    connectGate,
    commandHistory: entry.history,
    ...(options.random ? { random: options.random } : {}),
    ...(options.telemetry ? { telemetry: options.telemetry } : {}),
    ...(options.sessionExpirySeconds === undefined
      ? {}
      : { sessionExpirySeconds: options.sessionExpirySeconds }),
    ...(options.reconnect ? { reconnect: options.reconnect } : {}),
    ...options.bridgeSeams,
  };
}
