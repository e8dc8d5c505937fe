import type { BusinessEvent } from '../../../../shared/contract/events.js';
import type {
  TelemetryRateRequest,
  TelemetryRateResult,
} from '../../../../shared/contract/telemetry-rate.js';
import type { PrinterBridgeOptions } from '../../../bridge/bridge-options.js';
import type { BridgeChangeKind, BridgeFault } from '../../../bridge/bridge-events.js';
import type { BridgeSnapshot } from '../../../bridge/bridge-snapshot.js';
import type { BridgeState } from '../../../bridge/bridge-state.js';
import type { CommandRecord } from '../../../bridge/command-history.js';
import { toDisposable, type Disposable } from '../../../support/disposable.js';
import type { BridgeFactory, FleetBridge } from '../fleet-bridge.js';

/** Outcome of a fake bridge's `start()`. */
export type FakeStart = 'resolve' | 'reject' | 'hang' | 'throw';

/** Test helper: a bridge whose start, state and snapshot the test controls. */
export class FakeBridge implements FleetBridge {
  state: BridgeState = 'idle';
  stopCalls = 0;
  rates: TelemetryRateRequest[] = [];
  snapshotOverride: Partial<BridgeSnapshot> = {};
  private readonly changeListeners = new Set<(kind: BridgeChangeKind) => void>();
  private readonly faultListeners = new Set<(fault: BridgeFault) => void>();

  constructor(
    readonly options: PrinterBridgeOptions,
    private readonly startBehaviour: FakeStart,
  ) {}

  start(): Promise<void> {
    this.setState('starting');
    switch (this.startBehaviour) {
      case 'resolve':
        this.setState('running');
        return Promise.resolve();
      case 'reject':
        this.setState('failed');
        return Promise.reject(new Error('the data folder is not writable'));
      case 'throw':
        throw new Error('the bridge threw synchronously');
      case 'hang':
        return new Promise(() => undefined);
    }
  }

  stop(): Promise<void> {
    this.stopCalls += 1;
    if (this.state !== 'stopped') this.setState('stopped');
    return Promise.resolve();
  }

  snapshot(): BridgeSnapshot {
    return {
      name: this.options.name,
      state: this.state,
      deviceId: this.options.credentials.deviceId,
      cloudUrl: this.options.cloud.baseUrl,
      mqtt: { state: 'connected', brokerUrl: this.options.cloud.brokerUrl },
      moonraker: { state: 'ready', url: this.options.moonraker.url, apiKeyConfigured: false },
      klippy: { state: 'ready' },
      ...this.snapshotOverride,
    };
  }

  recentEvents(): readonly BusinessEvent[] {
    return [];
  }

  commandHistory(): CommandRecord[] {
    return [];
  }

  setTelemetryRate(request: TelemetryRateRequest): TelemetryRateResult {
    this.rates.push(request);
    return { mode: request.mode, intervalSeconds: request.intervalSeconds ?? 30 };
  }

  onChange(listener: (kind: BridgeChangeKind) => void): Disposable {
    this.changeListeners.add(listener);
    return toDisposable(() => this.changeListeners.delete(listener));
  }

  onFault(listener: (fault: BridgeFault) => void): Disposable {
    this.faultListeners.add(listener);
    return toDisposable(() => this.faultListeners.delete(listener));
  }

  emitChange(kind: BridgeChangeKind): void {
    for (const listener of [...this.changeListeners]) listener(kind);
  }

  /** Reports a fault the way `PrinterBridge` does: the fault, then the move to `failed`. */
  fault(source: string, error: unknown): void {
    for (const listener of [...this.faultListeners]) listener({ source, error });
    if (this.state === 'running') this.setState('failed');
  }

  get listenerCount(): number {
    return this.changeListeners.size + this.faultListeners.size;
  }

  private setState(state: BridgeState): void {
    this.state = state;
    this.emitChange('state');
  }
}

/**
 * A factory of fake bridges. `plan(name)` picks each new bridge's start behaviour from what the
 * test queued for that printer name, `resolve` once the queue is empty.
 */
export class FakeBridgeFactory {
  readonly created: FakeBridge[] = [];
  private readonly plans = new Map<string, FakeStart[]>();

  readonly create: BridgeFactory = (options) => {
    const behaviour = this.plans.get(options.name)?.shift() ?? 'resolve';
    const bridge = new FakeBridge(options, behaviour);
    this.created.push(bridge);
    return bridge;
  };

  plan(name: string, ...starts: FakeStart[]): void {
    this.plans.set(name, [...(this.plans.get(name) ?? []), ...starts]);
  }

  /** Bridges created for one printer name, oldest first. */
  of(name: string): FakeBridge[] {
    return this.created.filter((bridge) => bridge.options.name === name);
  }

  latest(name: string): FakeBridge {
    const bridge = this.of(name).at(-1);
    if (!bridge) throw new Error(`no bridge was created for ${name}`);
    return bridge;
  }
}
