import { downOnlyJitter } from '../support/backoff.js';
import { jitterAbove } from './retry-after.js';

export interface ReconnectScheduleOptions {
  /** First wait after a failed attempt, in seconds. Default 1, at least 0.5. */
  initialSeconds?: number;
  /** Cap of the doubling waits, in seconds. Default 30, never below `initialSeconds`. */
  maxSeconds?: number;
  /** How many failed attempts get doubling waits before the perpetual phase. Default 10. */
  exponentialAttempts?: number;
  /** Wait between attempts once the doubling phase is over, in seconds. Default 900, at least 60. */
  perpetualRetrySeconds?: number;
  /** Share of each wait that may be cut off at random, 0 to 1. Default 0.5. */
  jitterRatio?: number;
  random?: () => number;
}

export const MIN_PERPETUAL_RETRY_SECONDS = 60;

/**
 * Waits between connect attempts: 1, 2, 4, 8, 16, then 30 s until ten attempts have failed, then
 * 900 s for ever. Jitter only shortens a wait (to no less than `(1 − jitterRatio)` of it), so that
 * many devices that lost the broker together do not come back in step. Transient failures, which
 * the server expects to end soon, have their own count and never lead to the 900 s waits.
 */
export class ReconnectSchedule {
  private failures = 0;
  private transientFailures = 0;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly exponentialAttempts: number;
  private readonly perpetualMs: number;
  private readonly jitterRatio: number;
  private readonly random: () => number;

  constructor(options: ReconnectScheduleOptions = {}) {
    this.initialMs = Math.max(0.5, options.initialSeconds ?? 1) * 1000;
    this.maxMs = Math.max(this.initialMs, (options.maxSeconds ?? 30) * 1000);
    this.exponentialAttempts = Math.max(0, Math.floor(options.exponentialAttempts ?? 10));
    const perpetualSeconds = options.perpetualRetrySeconds ?? 900;
    this.perpetualMs = Math.max(MIN_PERPETUAL_RETRY_SECONDS, perpetualSeconds) * 1000;
    this.jitterRatio = Math.min(1, Math.max(0, options.jitterRatio ?? 0.5));
    this.random = options.random ?? Math.random;
  }

  /** Number of failed attempts since the last reset, transient failures excluded. */
  get failedAttempts(): number {
    return this.failures;
  }

  /** Number of transient failures since the last reset. */
  get transientFailedAttempts(): number {
    return this.transientFailures;
  }

  /** Whether the doubling phase is over and waits are now perpetual. */
  get isPerpetual(): boolean {
    return this.failures > this.exponentialAttempts;
  }

  /** Records a failed attempt and returns the wait before the next one, in milliseconds. */
  nextDelayMs(): number {
    this.failures += 1;
    return downOnlyJitter(this.nominalDelayMs(), this.jitterRatio, this.random);
  }

  /**
   * Records a transient failure, such as a token request that failed with HTTP 503,
   * and returns the wait before the next attempt in milliseconds. With `retryAfterMs` the wait is
   * that delay, at least `initialSeconds`, lengthened by up to 20 % of jitter, so it is never
   * shorter than the server requested. Without it the wait doubles from `initialSeconds` to
   * `maxSeconds` with the usual jitter.
   */
  nextTransientDelayMs(retryAfterMs?: number): number {
    this.transientFailures += 1;
    if (retryAfterMs !== undefined) {
      return jitterAbove(Math.max(this.initialMs, retryAfterMs), this.random);
    }
    const nominalMs = Math.min(this.maxMs, this.initialMs * 2 ** (this.transientFailures - 1));
    return downOnlyJitter(nominalMs, this.jitterRatio, this.random);
  }

  reset(): void {
    this.failures = 0;
    this.transientFailures = 0;
  }

  private nominalDelayMs(): number {
    if (this.failures > this.exponentialAttempts) return this.perpetualMs;
    return Math.min(this.maxMs, this.initialMs * 2 ** (this.failures - 1));
  }
}
