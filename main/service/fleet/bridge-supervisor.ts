import { withDeadline } from '../../cloud/deadline.js';
import type { BridgeChangeKind } from '../../bridge/bridge-events.js';
import type { Clock, TimerHandle } from '../../support/clock.js';
import { CodedError, errorMessage } from '../../support/coded-error.js';
import type { Disposable } from '../../support/disposable.js';
import type { Logger } from '../../support/logger.js';
import type { FleetBridge } from './fleet-bridge.js';
import {
  DEFAULT_HEALTHY_RESET_MS,
  RestartBackoff,
  type RestartBackoffOptions,
} from './restart-backoff.js';
import {
  assertSupervisorTransition,
  type SupervisorState,
  type SupervisorStatus,
} from './supervisor-state.js';

export interface BridgeSupervisorOptions {
  /** Creates a new bridge for every start; may throw, which counts as a crash. */
  createBridge: () => FleetBridge;
  clock: Clock;
  /** Already tagged with the printer's ids. */
  logger: Logger;
  random?: () => number;
  restart?: RestartBackoffOptions;
  /** Maximum wait for a bridge's `start()`; 30 000 ms by default. */
  startTimeoutMs?: number;
  /** Maximum wait for a crashed bridge's `stop()` before a new one starts; 15 000 ms by default. */
  retireTimeoutMs?: number;
  /**
   * Called after every change of the supervisor's state, as `supervisor`, and with every change
   * its bridge reports.
   */
  onChange: (kind: BridgeChangeKind | 'supervisor') => void;
}

const DEFAULT_START_TIMEOUT_MS = 30_000;
const DEFAULT_RETIRE_TIMEOUT_MS = 15_000;

/**
 * Keeps one printer's bridge running. A bridge whose start throws or hangs, that reports
 * `failed`, or whose callbacks throw, is stopped and replaced by a new one after a growing,
 * jittered wait (`RestartBackoff`). Everything a bridge does reaches the supervisor through
 * guarded listeners, so nothing it throws travels further.
 */
export class BridgeSupervisor {
  private current: SupervisorState = 'idle';
  private bridge: FleetBridge | undefined;
  private starting: Promise<void> | undefined;
  private retiring: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  private listeners: Disposable[] = [];
  private timer: TimerHandle | undefined;
  private healthyTimer: TimerHandle | undefined;
  private nextStartAt: number | undefined;
  private lastCrash: SupervisorStatus['lastCrash'];
  private readonly backoff: RestartBackoff;
  private readonly clock: Clock;
  private readonly logger: Logger;

  constructor(private readonly options: BridgeSupervisorOptions) {
    this.clock = options.clock;
    this.logger = options.logger;
    this.backoff = new RestartBackoff(options.restart, options.random);
  }

  get state(): SupervisorState {
    return this.current;
  }

  /** The bridge while one is starting or running. */
  get activeBridge(): FleetBridge | undefined {
    return this.bridge;
  }

  status(): SupervisorStatus {
    return {
      state: this.current,
      crashes: this.backoff.count,
      ...(this.lastCrash ? { lastCrash: { ...this.lastCrash } } : {}),
      ...(this.nextStartAt === undefined ? {} : { nextStartAt: this.nextStartAt }),
    };
  }

  /** Starts the first bridge after `delayMs`. Throws `already_started` when called twice. */
  start(delayMs = 0): void {
    if (this.current !== 'idle') {
      throw new CodedError('already_started', `The bridge supervisor is already ${this.current}`);
    }
    if (delayMs <= 0) {
      this.launch();
      return;
    }
    this.transition('delayed');
    this.schedule(delayMs, () => this.launch());
  }

  /**
   * Stops the bridge gracefully and for good, waiting at most `deadlineMs` for it. Calling it
   * again returns the same promise.
   */
  stop(deadlineMs: number): Promise<void> {
    this.stopping ??= this.performStop(deadlineMs);
    return this.stopping;
  }

  private launch(): void {
    this.clearTimer();
    if (this.current === 'stopping' || this.current === 'stopped') return;
    this.transition('starting');
    let bridge: FleetBridge;
    try {
      bridge = this.options.createBridge();
    } catch (error) {
      this.crash('create', error);
      return;
    }
    this.bridge = bridge;
    this.watch(bridge);
    const started = startSafely(bridge);
    this.starting = started;
    void this.awaitStart(bridge, started);
  }

  private async awaitStart(bridge: FleetBridge, started: Promise<void>): Promise<void> {
    const timeoutMs = this.options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
    try {
      await withDeadline(started, this.clock, timeoutMs, 'Starting the bridge');
    } catch (error) {
      if (this.bridge !== bridge) return;
      if (error instanceof CodedError && error.code === 'timed_out') this.abandon(bridge, started);
      this.crash('start', error);
      return;
    }
    if (this.bridge !== bridge || this.current !== 'starting') return;
    if (bridge.state !== 'running') {
      this.crash('start', new Error(`the bridge is ${bridge.state} right after starting`));
      return;
    }
    this.transition('running');
    this.armHealthyReset();
  }

  /** Leaves a bridge whose start hangs; if that start ever finishes, the bridge is stopped. */
  private abandon(bridge: FleetBridge, started: Promise<void>): void {
    this.bridge = undefined;
    this.unwatch();
    started.then(
      () => void bridge.stop().catch(() => undefined),
      () => undefined,
    );
  }

  /** Stops the crashed bridge and schedules its replacement. */
  private crash(source: string, error: unknown): void {
    if (this.current !== 'starting' && this.current !== 'running') return;
    const bridge = this.bridge;
    this.bridge = undefined;
    this.unwatch();
    this.clearHealthyTimer();

    const message = errorMessage(error);
    this.lastCrash = { source, message, at: this.clock.now() };
    const delayMs = this.backoff.nextDelayMs();
    this.logger.error(
      { source, err: message, crashes: this.backoff.count, restartInMs: delayMs },
      'Printer bridge crashed; restarting it',
    );
    this.transition('backoff');
    const retiring = bridge ? this.retire(bridge) : Promise.resolve();
    this.retiring = retiring;
    this.schedule(delayMs, () => void retiring.then(() => this.relaunch()));
  }

  private relaunch(): void {
    this.guarded('restart', () => {
      if (this.current === 'backoff') this.launch();
    });
  }

  private async retire(bridge: FleetBridge): Promise<void> {
    const timeoutMs = this.options.retireTimeoutMs ?? DEFAULT_RETIRE_TIMEOUT_MS;
    try {
      await withDeadline(bridge.stop(), this.clock, timeoutMs, 'Stopping the crashed bridge');
    } catch (error) {
      this.logger.warn({ err: errorMessage(error) }, 'Stopping the crashed bridge failed');
    }
  }

  private async performStop(deadlineMs: number): Promise<void> {
    if (this.current === 'stopped') return;
    this.clearTimer();
    this.clearHealthyTimer();
    this.transition('stopping');
    const bridge = this.bridge;
    const starting = this.starting;
    const retiring = this.retiring;
    this.bridge = undefined;
    const work = async (): Promise<void> => {
      await retiring;
      if (!bridge) return;
      await starting?.catch(() => undefined);
      await bridge.stop();
    };
    try {
      await withDeadline(work(), this.clock, deadlineMs, 'Stopping the bridge');
    } catch (error) {
      this.logger.warn({ err: errorMessage(error), deadlineMs }, 'Bridge did not stop cleanly');
    }
    this.unwatch();
    this.transition('stopped');
  }

  /**
   * Follows the bridge's faults and changes. A crash is handled in a microtask, so the bridge is
   * stopped after the callback that threw has unwound, not from inside it.
   */
  private watch(bridge: FleetBridge): void {
    const crashLater = (source: string, error: unknown): void => {
      queueMicrotask(() =>
        this.guarded('crash', () => {
          if (this.bridge === bridge) this.crash(source, error);
        }),
      );
    };
    this.listeners = [
      bridge.onFault((fault) => crashLater(fault.source, fault.error)),
      bridge.onChange((kind) =>
        this.guarded('change', () => {
          if (this.bridge !== bridge) return;
          if (kind === 'state' && bridge.state === 'failed' && this.current === 'running') {
            crashLater('bridge', new Error('the bridge reported failed'));
          }
          this.options.onChange(kind);
        }),
      ),
    ];
  }

  private unwatch(): void {
    for (const listener of this.listeners.splice(0)) listener.dispose();
  }

  /** Runs a listener body; what it throws is logged with the printer's ids and goes no further. */
  private guarded(event: string, body: () => void): void {
    try {
      body();
    } catch (error) {
      this.logger.error({ event, err: errorMessage(error) }, 'Handling a bridge event failed');
    }
  }

  private armHealthyReset(): void {
    const resetMs = this.options.restart?.healthyResetMs ?? DEFAULT_HEALTHY_RESET_MS;
    this.healthyTimer = this.clock.setTimeout(() => {
      this.healthyTimer = undefined;
      if (this.current === 'running') this.backoff.reset();
    }, resetMs);
  }

  private schedule(delayMs: number, callback: () => void): void {
    this.nextStartAt = this.clock.now() + delayMs;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.guarded('timer', callback);
    }, delayMs);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.nextStartAt = undefined;
  }

  private clearHealthyTimer(): void {
    if (this.healthyTimer !== undefined) this.clock.clearTimeout(this.healthyTimer);
    this.healthyTimer = undefined;
  }

  private transition(next: SupervisorState): void {
    assertSupervisorTransition(this.current, next);
    this.current = next;
    this.guarded('state', () => this.options.onChange('supervisor'));
  }
}

/** Calls `start()`, turning a synchronous throw into a rejection like an async failure. */
function startSafely(bridge: FleetBridge): Promise<void> {
  try {
    return bridge.start();
  } catch (error) {
    return Promise.reject(error);
  }
}
