import { delay, type Clock } from '../support/clock.js';
import { CodedError, errorMessage } from '../support/coded-error.js';
import type { Disposable } from '../support/disposable.js';
import type { OpenedClient } from './mqtt-connect-attempt.js';
import type { RateLimitedLog } from './rate-limited-log.js';
import { ReconnectSchedule, type ReconnectScheduleOptions } from './reconnect-schedule.js';
import {
  isTokenRequestFailure,
  transientTokenFailureOf,
  type TransientTokenFailure,
} from './token-failure.js';

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
  /**
   * Subscribes to newly issued tokens. While the loop waits after an attempt whose token request
   * failed, a new token ends the wait, and the next attempt passes `gate` like any other.
   */
  onTokenIssued?: (listener: () => void) => Disposable;
}

/** Outcome of one attempt: a ready client, or the error that ended the attempt. */
type AttemptResult = { opened: OpenedClient } | { opened: null; error: unknown };

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
    const attempt = await attemptOnce(options, signal);
    if (attempt.opened) return attempt.opened;
    if (signal.aborted) return null;

    const delayMs = retryDelayMs(options, schedule, attempt.error);
    const wakeOnToken = isTokenRequestFailure(attempt.error);
    if (!(await waitBeforeRetry(options, delayMs, wakeOnToken, signal))) return null;
  }
  return null;
}

/** Returns the wait before the next attempt and logs it, in one line for a transient failure. */
function retryDelayMs(
  options: ConnectLoopOptions,
  schedule: ReconnectSchedule,
  error: unknown,
): number {
  const transient = transientTokenFailureOf(error);
  if (transient) return transientRetryDelayMs(options, schedule, transient);

  const delayMs = schedule.nextDelayMs();
  const fields = { failedAttempts: schedule.failedAttempts, retryInMs: Math.round(delayMs) };
  options.log.write('connect_retry', 'info', fields, 'retrying the mqtt connection');
  return delayMs;
}

function transientRetryDelayMs(
  options: ConnectLoopOptions,
  schedule: ReconnectSchedule,
  failure: TransientTokenFailure,
): number {
  const delayMs = schedule.nextTransientDelayMs(failure.retryAfterMs);
  const fields = {
    status: failure.status,
    ...(failure.retryAfterMs === undefined ? {} : { retryAfterMs: failure.retryAfterMs }),
    retryInMs: Math.round(delayMs),
    transientFailures: schedule.transientFailedAttempts,
  };
  const message = `${failure.summary}; retrying in ${Math.ceil(delayMs / 1000)} s`;
  options.log.write('token_retry', 'warn', fields, message);
  return delayMs;
}

/**
 * Waits `delayMs`, or less when `wakeOnToken` is set and a new token arrives first. Resolves
 * false when `signal` aborts, and true otherwise.
 */
async function waitBeforeRetry(
  options: ConnectLoopOptions,
  delayMs: number,
  wakeOnToken: boolean,
  signal: AbortSignal,
): Promise<boolean> {
  const wait = new AbortController();
  const endWait = (): void => wait.abort();
  signal.addEventListener('abort', endWait, { once: true });
  const subscription = wakeOnToken
    ? options.onTokenIssued?.(() => {
        options.log.write(
          'token_wake',
          'info',
          {},
          'a new token arrived; retrying the mqtt connection now',
        );
        endWait();
      })
    : undefined;
  try {
    await delay(options.clock, delayMs, wait.signal);
  } catch {
    // The wait ended early, because the connection stops or because a token arrived.
  } finally {
    subscription?.dispose();
    signal.removeEventListener('abort', endWait);
  }
  return !signal.aborted;
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
): Promise<AttemptResult> {
  let error: unknown;
  try {
    const opened = await options.open(signal);
    if (await options.prepare(opened)) return { opened };
    error = new Error('connection closed while subscriptions were replayed');
  } catch (caught) {
    error = caught;
  }
  if (!signal.aborted) reportFailure(options, error);
  return { opened: null, error };
}

/** Logs a failed attempt, unless it is transient, because then its retry line has every fact. */
function reportFailure(options: ConnectLoopOptions, error: unknown): void {
  if (!transientTokenFailureOf(error)) {
    const details = error instanceof CodedError ? { code: error.code, ...error.details } : {};
    const fields = { ...details, error: errorMessage(error) };
    options.log.write('connect_failed', 'warn', fields, 'connect attempt failed');
  }
  options.onAttemptFailed?.(error);
}
