import { delay, type Clock } from '../support/clock.js';
import { CodedError, errorMessage } from '../support/coded-error.js';
import type { OpenedClient } from './mqtt-connect-attempt.js';
import type { RateLimitedLog } from './rate-limited-log.js';
import { ReconnectSchedule, type ReconnectScheduleOptions } from './reconnect-schedule.js';

/**
 * Waits for permission to make one connect attempt, such as a token from a budget that many
 * connections share. It should stop waiting and reject when `signal` aborts.
 */
export type ConnectGate = (signal: AbortSignal) => Promise<void>;

export interface ConnectLoopOptions {
  /** Makes one attempt, and rejects when it failed. */
  open: (signal: AbortSignal) => Promise<OpenedClient>;
  /** Readies an accepted client, and resolves false when the client closed meanwhile. */
  prepare: (opened: OpenedClient) => Promise<boolean>;
  clock: Clock;
  log: RateLimitedLog;
  schedule: ReconnectScheduleOptions;
  /** Awaited before every attempt, the first one included. */
  gate?: ConnectGate;
  /** Receives the error of every failed attempt that was not aborted. */
  onAttemptFailed?: (error: unknown) => void;
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
    if (!(await passGate(options, signal))) return null;
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

/**
 * Resolves true once the gate lets the attempt through, and false when `signal` aborts first. A
 * gate that fails for another reason is logged and lets the attempt through, so that a broken
 * gate cannot keep a device offline.
 */
async function passGate(options: ConnectLoopOptions, signal: AbortSignal): Promise<boolean> {
  const { gate } = options;
  if (!gate) return true;
  try {
    await untilAborted(gate(signal), signal);
  } catch (error) {
    if (signal.aborted) return false;
    const fields = { error: errorMessage(error) };
    options.log.write('connect_gate_failed', 'warn', fields, 'connect gate failed; connecting');
  }
  return !signal.aborted;
}

/** Settles like `work`, or rejects as soon as `signal` aborts, whichever comes first. */
function untilAborted(work: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(new Error('aborted'));
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

async function attemptOnce(
  options: ConnectLoopOptions,
  signal: AbortSignal,
): Promise<OpenedClient | null> {
  try {
    const opened = await options.open(signal);
    if (await options.prepare(opened)) return opened;
    reportFailure(options, new Error('connection closed while subscriptions were replayed'));
  } catch (error) {
    if (!signal.aborted) reportFailure(options, error);
  }
  return null;
}

function reportFailure(options: ConnectLoopOptions, error: unknown): void {
  const details = error instanceof CodedError ? { code: error.code, ...error.details } : {};
  const fields = { ...details, error: errorMessage(error) };
  options.log.write('connect_failed', 'warn', fields, 'connect attempt failed');
  options.onAttemptFailed?.(error);
}
