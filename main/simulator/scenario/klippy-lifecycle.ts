import type { Disposable } from '../../support/disposable.js';
import type { ScaledTimers } from '../timer-set.js';
import {
  DISCONNECTED_MESSAGE,
  READY_MESSAGE,
  shutdownMessage,
  STARTUP_MESSAGE,
  type KlippyHost,
} from './klippy-host.js';
import type { ModelOutput } from './model-output.js';

/** How long a firmware restart stays in each state, in simulated milliseconds. */
export const RESTART_TIMING_MS = { disconnected: 400, startup: 600 } as const;

export interface KlippyLifecycleOptions {
  readonly klippy: KlippyHost;
  readonly timers: ScaledTimers;
  readonly output: ModelOutput;
  readonly respond: (text: string) => void;
  /** Called after `notify_klippy_shutdown` went out. */
  readonly onShutdown: () => void;
  /** Called after `notify_klippy_disconnected` went out. */
  readonly onDisconnect: () => void;
  /** Called when the restarted Klippy comes up with fresh objects. */
  readonly onStartup: () => void;
}

/**
 * Emergency stop and firmware restart, with the notifications Moonraker sends in the order a
 * recorded session shows them: the `webhooks` status change before `notify_klippy_shutdown`, and
 * `notify_klippy_disconnected`, then `notify_klippy_ready` about a second later.
 */
export class KlippyLifecycle implements Disposable {
  private pending: Disposable | undefined;

  constructor(private readonly options: KlippyLifecycleOptions) {}

  /** Shuts Klippy down; does nothing unless it is ready, since nothing is left to stop. */
  shutdown(reason: string): void {
    const { klippy, output } = this.options;
    if (!klippy.isReady) return;
    this.options.respond('// Klipper state: Shutdown');
    klippy.moveTo('shutdown', shutdownMessage(reason));
    output.flushStatus();
    output.notify('notify_klippy_shutdown');
    this.options.onShutdown();
  }

  /**
   * Restarts Klippy: disconnected, then starting up, then ready. Moonraker drops every
   * subscription when it loses Klippy, so clients have to subscribe again after ready.
   */
  restart(): void {
    const { klippy, output, timers } = this.options;
    if (!klippy.canMoveTo('disconnected')) return;
    this.pending?.dispose();
    this.options.respond('// Klipper state: Disconnect');
    klippy.moveTo('disconnected', DISCONNECTED_MESSAGE);
    output.notify('notify_klippy_disconnected');
    output.clearSubscriptions();
    this.options.onDisconnect();
    this.pending = timers.after(RESTART_TIMING_MS.disconnected, () => this.startUp());
  }

  dispose(): void {
    this.pending?.dispose();
    this.pending = undefined;
  }

  private startUp(): void {
    this.options.klippy.moveTo('startup', STARTUP_MESSAGE);
    this.options.onStartup();
    this.pending = this.options.timers.after(RESTART_TIMING_MS.startup, () => this.becomeReady());
  }

  private becomeReady(): void {
    this.pending = undefined;
    this.options.klippy.moveTo('ready', READY_MESSAGE);
    this.options.output.notify('notify_klippy_ready');
  }
}
