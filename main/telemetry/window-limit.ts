/** At most `limit` takes in any sliding window of `windowMs` milliseconds. */
export class WindowLimit {
  private readonly takenAt: number[] = [];

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Milliseconds until the oldest take leaves the window, 0 when a take is allowed now. */
  msUntilAvailable(nowMs: number): number {
    this.expire(nowMs);
    if (this.takenAt.length < this.limit) return 0;
    const oldest = this.takenAt[0] ?? nowMs;
    return Math.max(1, oldest + this.windowMs - nowMs);
  }

  take(nowMs: number): void {
    this.expire(nowMs);
    this.takenAt.push(nowMs);
  }

  private expire(nowMs: number): void {
    while (this.takenAt.length > 0 && (this.takenAt[0] ?? 0) + this.windowMs <= nowMs) {
      this.takenAt.shift();
    }
  }
}
