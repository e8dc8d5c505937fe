import type { Clock, TimerHandle } from '../support/clock.js';
import type { Disposable } from '../support/disposable.js';
import { LogRateLimiter, type Logger } from '../support/logger.js';
import type { ObjectFieldMap, ObjectStatus } from './input.js';
import type { RpcNotification } from './rpc-connection.js';

export interface FollowUpOptions {
  clock: Clock;
  logger: Logger;
  query(objects: ObjectFieldMap): Promise<ObjectStatus>;
  /** Probes again and resubscribes on the open websocket. */
  resubscribe(): Promise<void>;
  emitSnapshot(status: ObjectStatus): void;
  /** Quiet time after the last `notify_klippy_ready` before state is queried. */
  klippyReadyDebounceMs?: number;
}

const KLIPPY_READY_QUERY: ObjectFieldMap = { print_stats: null, webhooks: null };
const PRINT_STATS_QUERY: ObjectFieldMap = { print_stats: null };
const HISTORY_ACTIONS_TO_QUERY = new Set(['added', 'finished']);

/**
 * Reads state that Moonraker does not push by itself. After Klippy becomes ready the objects are
 * probed and subscribed again, and `print_stats` and `webhooks` are queried once things settle.
 * After a job is added to or finished in the history, and after a print action, `print_stats`
 * is queried, because Moonraker may never push `state: printing` (seen when a print starts and
 * Klippy shuts down before the first status update).
 */
export class FollowUpQueries implements Disposable {
  private readonly failureLog: LogRateLimiter;
  private debounceTimer: TimerHandle | null = null;
  private disposed = false;

  constructor(private readonly options: FollowUpOptions) {
    this.failureLog = new LogRateLimiter(60_000, 3, () => options.clock.now());
  }

  /** Runs the rules for a notification that has already been handed on. */
  handleNotification(notification: RpcNotification): void {
    if (this.disposed) return;
    if (isKlippyReady(notification)) this.afterKlippyReady();
    else if (isHistoryJobChange(notification)) this.queryAndEmit(PRINT_STATS_QUERY, 'history');
  }

  afterPrintAction(): void {
    if (this.disposed) return;
    this.queryAndEmit(PRINT_STATS_QUERY, 'print action');
  }

  dispose(): void {
    this.disposed = true;
    this.clearDebounce();
  }

  private afterKlippyReady(): void {
    void this.options.resubscribe();
    this.clearDebounce();
    this.debounceTimer = this.options.clock.setTimeout(() => {
      this.debounceTimer = null;
      this.queryAndEmit(KLIPPY_READY_QUERY, 'klippy ready');
    }, this.options.klippyReadyDebounceMs ?? 500);
  }

  private queryAndEmit(objects: ObjectFieldMap, reason: string): void {
    this.options.query(objects).then(
      (status) => {
        if (!this.disposed) this.options.emitSnapshot(status);
      },
      (error: unknown) => {
        if (!this.disposed) this.logFailure(reason, error);
      },
    );
  }

  private logFailure(reason: string, error: unknown): void {
    const suppressed = this.failureLog.admit(reason);
    if (suppressed === null) return;
    this.options.logger.warn({ err: error, reason, suppressed }, 'Follow-up status query failed');
  }

  private clearDebounce(): void {
    if (this.debounceTimer) this.options.clock.clearTimeout(this.debounceTimer);
    this.debounceTimer = null;
  }
}

function isKlippyReady({ method, params }: RpcNotification): boolean {
  if (method === 'notify_klippy_ready') return true;
  return method === 'notify_klippy_state' && Array.isArray(params) && params[0] === 'ready';
}

function isHistoryJobChange({ method, params }: RpcNotification): boolean {
  if (method !== 'notify_history_changed' || !Array.isArray(params)) return false;
  const change: unknown = params[0];
  if (typeof change !== 'object' || change === null) return false;
  const action = (change as { action?: unknown }).action;
  return typeof action === 'string' && HISTORY_ACTIONS_TO_QUERY.has(action);
}
