import type { UpdateStateView } from '../../../shared/contract/desktop-ipc.js';
import { printersBlockingRestart } from '../../../shared/contract/restart-consent.js';
import type { PrinterSummary } from '../../../shared/control-api/printer-views.js';
import type { Clock, TimerHandle } from '../../support/clock.js';
import { errorMessage } from '../../support/coded-error.js';
import type { Disposable } from '../../support/disposable.js';
import type { Logger } from '../../support/logger.js';
import { transition, type UpdateEvent } from './update-state.js';

export const UPDATE_CHECK_INTERVAL_MS = 6 * 60 * 60 * 1000;

/** Code of the check failure that means this build has no update feed; it is shown calmly. */
export const UPDATE_FEED_MISSING = 'update_feed_missing';

/** Turns a failed check or download into an event, keeping a string `code` when it has one. */
export function failureEvent(error: unknown): UpdateEvent {
  const message = errorMessage(error);
  const code = codeOf(error);
  if (code === UPDATE_FEED_MISSING) return { type: 'not-set-up', code, message };
  return { type: 'error', message, code };
}

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

/** The updater library behind the controller; it reports back through `handle`. */
export interface UpdaterPort {
  checkForUpdates(): Promise<void>;
  downloadUpdate(): Promise<void>;
  quitAndInstall(): void;
}

export type RestartDecision = { kind: 'now' } | { kind: 'confirm'; busyPrinters: string[] };

/**
 * Decides whether a restart needs consent: it stops every bridge, so it waits while any printer
 * prints or is paused. Printers in `confirmedPrinterIds` were already confirmed in the window.
 */
export function restartDecision(
  printers: readonly PrinterSummary[],
  confirmedPrinterIds: readonly string[] = [],
): RestartDecision {
  const busyPrinters = printersBlockingRestart(printers)
    .filter((printer) => !confirmedPrinterIds.includes(printer.id))
    .map((printer) => printer.name);
  return busyPrinters.length === 0 ? { kind: 'now' } : { kind: 'confirm', busyPrinters };
}

export interface UpdateControllerOptions {
  updater: UpdaterPort;
  clock: Clock;
  logger: Logger;
  printers: () => readonly PrinterSummary[];
  /** Asks the user whether to restart although `busyPrinters` are printing. */
  confirmRestart: (busyPrinters: string[]) => Promise<boolean>;
  intervalMs?: number;
}

/**
 * Runs the update state machine: checks at start and every six hours, downloads what the feed
 * offers in the background, and restarts only with the user's consent while printers are busy.
 */
export class UpdateController implements Disposable {
  private current: UpdateStateView = { phase: 'idle' };
  private timer: TimerHandle | undefined;
  private disposed = false;
  private readonly listeners = new Set<(state: UpdateStateView) => void>();

  constructor(private readonly options: UpdateControllerOptions) {}

  get state(): UpdateStateView {
    return this.current;
  }

  onChange(listener: (state: UpdateStateView) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Checks now and schedules the next checks. */
  start(): void {
    void this.check();
  }

  async check(): Promise<UpdateStateView> {
    if (this.disposed) return this.current;
    this.schedule();
    if (!this.handle({ type: 'check' })) return this.current;
    try {
      await this.options.updater.checkForUpdates();
    } catch (error) {
      this.handle(failureEvent(error));
    }
    return this.current;
  }

  /** Feeds an updater event into the machine; returns whether it changed the state. */
  handle(event: UpdateEvent): boolean {
    const next = transition(this.current, event, this.options.clock.now());
    if (!next || this.disposed) return false;

    this.current = next;
    if (event.type === 'error') {
      this.options.logger.warn({ err: event.message, code: event.code }, 'Update failed');
    }
    if (event.type === 'available') this.download(event.version);
    for (const listener of this.listeners) listener(next);
    return true;
  }

  /**
   * Restarts into the downloaded update; returns false when nothing is ready or the user declined.
   * `confirmedPrinterIds` are the busy printers that the window's confirmation already named.
   */
  async restart(confirmedPrinterIds: readonly string[] = []): Promise<boolean> {
    if (this.current.phase !== 'downloaded') return false;
    const decision = restartDecision(this.options.printers(), confirmedPrinterIds);
    if (decision.kind === 'confirm') {
      const confirmed = await this.options.confirmRestart(decision.busyPrinters);
      if (!confirmed || this.current.phase !== 'downloaded') return false;
    }
    this.handle({ type: 'restart' });
    this.options.logger.info({ version: this.current.version }, 'Restarting to install the update');
    this.options.updater.quitAndInstall();
    return true;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.listeners.clear();
  }

  private schedule(): void {
    if (this.timer) this.options.clock.clearTimeout(this.timer);
    const interval = this.options.intervalMs ?? UPDATE_CHECK_INTERVAL_MS;
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = undefined;
      void this.check();
    }, interval);
  }

  private download(version: string): void {
    this.options.logger.info({ version }, 'Downloading update');
    this.options.updater.downloadUpdate().catch((error: unknown) => {
      this.handle(failureEvent(error));
    });
  }
}
