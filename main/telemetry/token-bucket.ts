/**
 * A token bucket on a millisecond clock: it holds up to `capacity` tokens and refills
 * continuously at `refillPerSecond`. It starts full.
 */
export class TokenBucket {
  private tokens: number;
  private refilledAt: number;

  constructor(
    private readonly capacity: number,
    private readonly refillPerSecond: number,
    nowMs: number,
  ) {
    this.tokens = capacity;
    this.refilledAt = nowMs;
  }

  /** Milliseconds until one token is available, 0 when one is available now. */
  msUntilAvailable(nowMs: number): number {
    this.refill(nowMs);
    if (this.tokens >= 1) return 0;
    return Math.ceil(((1 - this.tokens) / this.refillPerSecond) * 1000);
  }

  /** Takes one token. The caller checks `msUntilAvailable` first. */
  take(nowMs: number): void {
    this.refill(nowMs);
    this.tokens = Math.max(0, this.tokens - 1);
  }

  private refill(nowMs: number): void {
    const elapsedSeconds = Math.max(0, nowMs - this.refilledAt) / 1000;
    this.tokens = Math.min(this.capacity, this.tokens + elapsedSeconds * this.refillPerSecond);
    this.refilledAt = nowMs;
  }
}
