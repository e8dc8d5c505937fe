import { systemClock, type Clock, type TimerHandle } from '../main/support/clock.js';

/**
 * The system clock, whose monotonic time can be moved forward once or more. A scenario simulator
 * advances its printer by the monotonic time between two updates, so a jump fast-forwards the
 * printer in one update while frames keep their real 250 ms rhythm. Wall-clock time and timers
 * stay real.
 */
export class ForwardClock implements Clock {
  private offsetMs = 0;

  now(): number {
    return systemClock.now();
  }

  monotonic(): number {
    return systemClock.monotonic() + this.offsetMs;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    return systemClock.setTimeout(callback, delayMs);
  }

  clearTimeout(handle: TimerHandle): void {
    systemClock.clearTimeout(handle);
  }

  /** Moves monotonic time forward by `ms`; it never moves back. */
  jump(ms: number): void {
    this.offsetMs += Math.max(0, ms);
  }
}
