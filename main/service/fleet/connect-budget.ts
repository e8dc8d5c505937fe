import type { Clock, TimerHandle } from '../../support/clock.js';
import { CodedError } from '../../support/coded-error.js';
import type { Disposable } from '../../support/disposable.js';
import {
  AdmissionSchedule,
  DEFAULT_ADMISSION_LIMITS,
  type AdmissionLimits,
} from './admission-schedule.js';

export type ConnectBudgetOptions = Partial<AdmissionLimits> & { clock: Clock };

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

/**
 * The fleet-wide budget of MQTT connect attempts. Every device connection acquires one
 * admission before each attempt, so the reconnects of printers that lost the broker together
 * are spread over time. At most `burst` (10) start at the same instant and at most
 * `ratePerSecond` (10) within any rolling second, in the order they requested. After a broker
 * outage of 200 printers, ten reconnect at once at the start of each second and the last ten
 * 19 s after the first. `admissionSpanMs` computes the span for other sizes and limits.
 */
export class ConnectBudget implements Disposable {
  private readonly clock: Clock;
  private readonly schedule: AdmissionSchedule;
  private readonly waiters: Waiter[] = [];
  private timer: TimerHandle | undefined;
  private disposed = false;

  /** Throws `invalid_budget` for a rate that is not positive or a burst below 1. */
  constructor(options: ConnectBudgetOptions) {
    this.clock = options.clock;
    const limits = {
      ratePerSecond: options.ratePerSecond ?? DEFAULT_ADMISSION_LIMITS.ratePerSecond,
      burst: options.burst ?? DEFAULT_ADMISSION_LIMITS.burst,
    };
    this.schedule = new AdmissionSchedule(limits, this.clock.monotonic());
  }

  /** Requests waiting for their admission. */
  get waiting(): number {
    return this.waiters.length;
  }

  /**
   * Resolves once the caller may connect. Rejects with the signal's reason when `signal` aborts
   * first, which gives the place in the queue up, and with `budget_disposed` after `dispose`.
   */
  acquire(signal?: AbortSignal): Promise<void> {
    if (this.disposed) return Promise.reject(disposedError());
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (this.waiters.length === 0 && this.schedule.tryAdmit(this.clock.monotonic())) {
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal, onAbort: () => this.abandon(waiter) };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.waiters.push(waiter);
      this.arm();
    });
  }

  /** Rejects every waiting request with `budget_disposed`. Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disarm();
    for (const waiter of this.waiters.splice(0)) this.settle(waiter, disposedError());
  }

  private release(): void {
    this.timer = undefined;
    const now = this.clock.monotonic();
    while (this.waiters.length > 0 && this.schedule.tryAdmit(now)) {
      const waiter = this.waiters.shift();
      if (waiter) this.settle(waiter, undefined);
    }
    this.arm();
  }

  private arm(): void {
    if (this.timer !== undefined || this.waiters.length === 0 || this.disposed) return;
    const now = this.clock.monotonic();
    const delayMs = Math.max(0, this.schedule.nextAdmissionAt(now) - now);
    this.timer = this.clock.setTimeout(() => this.release(), delayMs);
  }

  private disarm(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private abandon(waiter: Waiter): void {
    const index = this.waiters.indexOf(waiter);
    if (index < 0) return;
    this.waiters.splice(index, 1);
    this.settle(waiter, waiter.signal ? abortReason(waiter.signal) : disposedError());
    if (this.waiters.length === 0) this.disarm();
  }

  private settle(waiter: Waiter, error: unknown): void {
    waiter.signal?.removeEventListener('abort', waiter.onAbort);
    if (error === undefined) waiter.resolve();
    else waiter.reject(error);
  }
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new CodedError('aborted', 'Waiting for a connect admission was aborted');
}

function disposedError(): CodedError<'budget_disposed'> {
  return new CodedError('budget_disposed', 'The connect budget was disposed');
}
