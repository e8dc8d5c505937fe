import type { Clock, TimerHandle } from '../../support/clock.js';
import { CodedError } from '../../support/coded-error.js';
import type { Disposable } from '../../support/disposable.js';
import {
  AdmissionSchedule,
  DEFAULT_ADMISSION_LIMITS,
  type AdmissionLimits,
} from './admission-schedule.js';

export type ConnectBudgetOptions = Partial<AdmissionLimits> & {
  clock: Clock;
  /** Maximum time a held admission counts before it is released anyway; 45 000 ms by default. */
  maxHoldMs?: number;
};

/**
 * A held admission of the budget. Release it once the connect it was granted for went out or
 * failed, which lets the next second's admissions through.
 */
export interface HeldAdmission {
  /** Ends the admission; later calls do nothing. */
  release(): void;
}

/**
 * The maximum wait of a device connection between its admission and its CONNECT: a token request
 * (10 s timeout) and a connect attempt (30 s timeout), with a margin.
 */
export const DEFAULT_MAX_HOLD_MS = 45_000;

interface Waiter {
  hold: boolean;
  resolve(held: HeldAdmission | undefined): void;
  reject(error: unknown): void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

/**
 * The fleet-wide budget of MQTT connect attempts. Every device connection takes one admission
 * before each attempt, so the reconnects of printers that lost the broker together are spread
 * over time. At most `burst` (10) start at the same instant and at most `ratePerSecond` (10)
 * within any rolling second, in the order they requested. After a broker outage of 200 printers,
 * ten reconnect at once at the start of each second and the last ten 19 s after the first.
 * `admissionSpanMs` computes the span for other sizes and limits.
 *
 * A connection that first requests a token connects later than its admission. It keeps the
 * admission (`hold`) until its CONNECT went out, so the cap governs the connects themselves.
 */
export class ConnectBudget implements Disposable {
  private readonly clock: Clock;
  private readonly schedule: AdmissionSchedule;
  private readonly maxHoldMs: number;
  private readonly waiters: Waiter[] = [];
  private readonly holdTimers = new Set<TimerHandle>();
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
    this.maxHoldMs = options.maxHoldMs ?? DEFAULT_MAX_HOLD_MS;
  }

  /** Requests waiting for their admission. */
  get waiting(): number {
    return this.waiters.length;
  }

  /**
   * Resolves once the caller may connect, counting the connect at this moment. Rejects with the
   * signal's reason when `signal` aborts first, which gives the place in the queue up, and with
   * `budget_disposed` after `dispose`.
   */
  async acquire(signal?: AbortSignal): Promise<void> {
    await this.request(false, signal);
  }

  /**
   * Resolves like `acquire`, with an admission that counts against the cap until it is released
   * or `maxHoldMs` passed, whichever comes first.
   */
  async hold(signal?: AbortSignal): Promise<HeldAdmission> {
    const held = await this.request(true, signal);
    if (!held) throw disposedError();
    return held;
  }

  /** Rejects every waiting request with `budget_disposed`. Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disarm();
    for (const timer of this.holdTimers) this.clock.clearTimeout(timer);
    this.holdTimers.clear();
    for (const waiter of this.waiters.splice(0)) this.settle(waiter, disposedError());
  }

  private request(hold: boolean, signal: AbortSignal | undefined) {
    if (this.disposed) return Promise.reject(disposedError());
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (this.waiters.length === 0 && this.schedule.tryAdmit(this.clock.monotonic(), hold)) {
      return Promise.resolve(hold ? this.heldAdmission() : undefined);
    }
    return new Promise<HeldAdmission | undefined>((resolve, reject) => {
      const waiter: Waiter = {
        hold,
        resolve,
        reject,
        signal,
        onAbort: () => this.abandon(waiter),
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.waiters.push(waiter);
      this.arm();
    });
  }

  /** Returns the release of one admission just taken with `hold`, bounded by `maxHoldMs`. */
  private heldAdmission(): HeldAdmission {
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      this.clock.clearTimeout(timer);
      this.holdTimers.delete(timer);
      if (this.disposed) return;
      this.schedule.release(this.clock.monotonic());
      this.release();
    };
    const timer = this.clock.setTimeout(release, this.maxHoldMs);
    this.holdTimers.add(timer);
    return { release };
  }

  private release(): void {
    this.disarm();
    const now = this.clock.monotonic();
    while (this.waiters.length > 0 && this.schedule.tryAdmit(now, this.waiters[0]?.hold)) {
      const waiter = this.waiters.shift();
      if (waiter) this.settle(waiter, undefined);
    }
    this.arm();
  }

  private arm(): void {
    if (this.timer !== undefined || this.waiters.length === 0 || this.disposed) return;
    const now = this.clock.monotonic();
    const nextAt = this.schedule.nextAdmissionAt(now);
    // While held admissions fill the cap, the next release calls `release` instead.
    if (!Number.isFinite(nextAt)) return;
    this.timer = this.clock.setTimeout(() => this.release(), Math.max(0, nextAt - now));
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
    if (error !== undefined) waiter.reject(error);
    else waiter.resolve(waiter.hold ? this.heldAdmission() : undefined);
  }
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new CodedError('aborted', 'Waiting for a connect admission was aborted');
}

function disposedError(): CodedError<'budget_disposed'> {
  return new CodedError('budget_disposed', 'The connect budget was disposed');
}
