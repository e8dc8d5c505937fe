import type { Clock, TimerHandle } from '../../support/clock.js';

/** One restartable timer on an injected clock: the connect, keepalive or close deadline. */
export class DeadlineTimer {
  private handle: TimerHandle | undefined;

  constructor(private readonly clock: Clock) {}

  /** Replaces any running deadline. */
  start(delayMs: number, callback: () => void): void {
    this.cancel();
    this.handle = this.clock.setTimeout(() => {
      this.handle = undefined;
      callback();
    }, delayMs);
  }

  cancel(): void {
    if (this.handle) this.clock.clearTimeout(this.handle);
    this.handle = undefined;
  }
}
