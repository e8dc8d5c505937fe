import { delay, type Clock } from '../support/clock.js';
import { CodedError, errorMessage } from '../support/coded-error.js';
import type { OpenedClient } from './mqtt-connect-attempt.js';
import type { RateLimitedLog } from './rate-limited-log.js';
import { ReconnectSchedule, type ReconnectScheduleOptions } from './reconnect-schedule.js';

export interface ConnectLoopOptions {
  /** Makes one attempt, and rejects when it failed. */
  open: (signal: AbortSignal) => Promise<OpenedClient>;
  /** Readies an accepted client, and resolves false when the client closed meanwhile. */
  prepare: (opened: OpenedClient) => Promise<boolean>;
  clock: Clock;
  log: RateLimitedLog;
  schedule: ReconnectScheduleOptions;
}

/**
 * Makes connect attempts on the reconnect schedule until one yields a ready client. Resolves
 * null only when `signal` aborts, and never gives up otherwise. A client that becomes ready after
 * the abort is returned too, and the caller closes it.
 */
export async function connectWithRetry(
  options: ConnectLoopOptions,
  signal: AbortSignal,
): Promise<OpenedClient | null> {
  const schedule = new ReconnectSchedule(options.schedule);
  while (!signal.aborted) {
    const opened = await attemptOnce(options, signal);
    if (opened) return opened;
    if (signal.aborted) return null;

    const delayMs = schedule.nextDelayMs();
    const fields = { failedAttempts: schedule.failedAttempts, retryInMs: Math.round(delayMs) };
    options.log.write('connect_retry', 'info', fields, 'retrying the mqtt connection');
    try {
      await delay(options.clock, delayMs, signal);
    } catch {
      return null;
    }
  }
  return null;
}

async function attemptOnce(
  options: ConnectLoopOptions,
  signal: AbortSignal,
): Promise<OpenedClient | null> {
  try {
    const opened = await options.open(signal);
    if (await options.prepare(opened)) return opened;
    logFailure(options.log, new Error('connection closed while subscriptions were replayed'));
  } catch (error) {
    if (!signal.aborted) logFailure(options.log, error);
  }
  return null;
}

function logFailure(log: RateLimitedLog, error: unknown): void {
  const details = error instanceof CodedError ? { code: error.code, ...error.details } : {};
  const fields = { ...details, error: errorMessage(error) };
  log.write('connect_failed', 'warn', fields, 'connect attempt failed');
}
