import { CodedError } from '../../support/coded-error.js';

export interface AdmissionLimits {
  /** Admissions per second, both the bucket's refill rate and the cap of any rolling second. */
  ratePerSecond: number;
  /** Tokens the bucket holds when full: how many may be admitted at the same instant. */
  burst: number;
}

export const DEFAULT_ADMISSION_LIMITS: Readonly<AdmissionLimits> = Object.freeze({
  ratePerSecond: 10,
  burst: 10,
});

const WINDOW_MS = 1_000;
/** Slack for the float arithmetic of the refill, far below one admission. */
const EPSILON = 1e-9;

/**
 * The bookkeeping of a connect budget, without timers: a token bucket of `burst` tokens refilled
 * continuously at `ratePerSecond`, plus a cap of `ratePerSecond` admissions within any rolling
 * second. The cap is needed because the bucket alone lets a full burst and a second's refill
 * through in the same second. Times are monotonic milliseconds.
 *
 * An admission may be held: it counts against the cap from the moment it is admitted until one
 * second after it is released. Releasing a held admission when its connect went out keeps every
 * rolling second at the cap even when the connects come later than their admissions.
 */
export class AdmissionSchedule {
  private tokens: number;
  private refilledAt: number;
  /** Admission times within the last rolling second, oldest first. */
  private readonly recent: number[] = [];
  /** Admissions held and not yet released, each counting against the cap. */
  private held = 0;
  private readonly windowCap: number;

  /** Throws `invalid_budget` unless the rate is positive and the burst at least 1. */
  constructor(
    private readonly limits: AdmissionLimits,
    now: number,
  ) {
    if (!(limits.ratePerSecond > 0) || !Number.isFinite(limits.ratePerSecond)) {
      throw invalidBudget(`ratePerSecond must be a positive number, got ${limits.ratePerSecond}`);
    }
    if (!(limits.burst >= 1) || !Number.isFinite(limits.burst)) {
      throw invalidBudget(`burst must be at least 1, got ${limits.burst}`);
    }
    this.tokens = Math.floor(limits.burst);
    this.refilledAt = now;
    this.windowCap = Math.max(1, Math.floor(limits.ratePerSecond));
  }

  /**
   * Admits one request at `now` when both limits allow it, and returns whether it did. A held
   * admission (`hold`) counts against the cap until `release` is called for it.
   */
  tryAdmit(now: number, hold = false): boolean {
    this.advance(now);
    if (this.tokens < 1 - EPSILON || this.recent.length + this.held >= this.windowCap) {
      return false;
    }
    this.tokens = Math.max(0, this.tokens - 1);
    if (hold) this.held += 1;
    else this.recent.push(now);
    return true;
  }

  /** Ends one held admission at `now`; it counts against the cap for one more second. */
  release(now: number): void {
    this.advance(now);
    this.held = Math.max(0, this.held - 1);
    this.recent.push(Math.max(now, this.recent.at(-1) ?? now));
  }

  /**
   * Returns the earliest time at or after `now` at which `tryAdmit` succeeds, or Infinity while
   * held admissions alone fill the cap, until one of them is released.
   */
  nextAdmissionAt(now: number): number {
    this.advance(now);
    const missing = Math.max(0, 1 - this.tokens);
    const tokenAt = missing <= EPSILON ? now : now + (missing * 1000) / this.limits.ratePerSecond;
    const excess = this.recent.length + this.held - this.windowCap;
    if (excess >= this.recent.length) return Infinity;
    const windowAt = excess < 0 ? now : (this.recent[excess] ?? now) + WINDOW_MS;
    return Math.ceil(Math.max(tokenAt, windowAt));
  }

  private advance(now: number): void {
    const elapsed = Math.max(0, now - this.refilledAt);
    const capacity = Math.floor(this.limits.burst);
    this.tokens = Math.min(capacity, this.tokens + (elapsed * this.limits.ratePerSecond) / 1000);
    this.refilledAt = Math.max(this.refilledAt, now);
    while (this.recent.length > 0 && (this.recent[0] ?? now) <= now - WINDOW_MS)
      this.recent.shift();
  }
}

/**
 * Returns how long `count` requests that arrive together wait until the last one is admitted,
 * in milliseconds, by running the schedule from a full bucket. With 10 per second and a burst
 * of 10, 200 requests take 19 000 ms: ten at once at the start of each second.
 */
export function admissionSpanMs(count: number, limits: AdmissionLimits): number {
  const schedule = new AdmissionSchedule(limits, 0);
  let now = 0;
  for (let admitted = 0; admitted < count; admitted += 1) {
    now = schedule.nextAdmissionAt(now);
    schedule.tryAdmit(now);
  }
  return now;
}

function invalidBudget(message: string): CodedError<'invalid_budget'> {
  return new CodedError('invalid_budget', `Invalid connect budget: ${message}`);
}
