import type { Clock, TimerHandle } from '../support/clock.js';
import { toDisposable, type Disposable } from '../support/disposable.js';

/**
 * Owns one-shot timers on an injected clock so that one `dispose` cancels every timer still
 * pending. Timers added after disposal are never started. A callback that throws is reported to
 * `onError`, so that a fault in the simulated printer does not end the process.
 */
export class TimerSet implements Disposable {
  private readonly handles = new Set<TimerHandle>();
  private disposed = false;

  constructor(
    private readonly clock: Clock,
    private readonly onError: (error: unknown) => void,
  ) {}

  get size(): number {
    return this.handles.size;
  }

  /** Runs `callback` once after `delayMs`; the returned disposable cancels it. */
  after(delayMs: number, callback: () => void): Disposable {
    if (this.disposed) return toDisposable(() => undefined);
    const handle = this.clock.setTimeout(() => {
      this.handles.delete(handle);
      if (this.disposed) return;
      try {
        callback();
      } catch (error) {
        this.onError(error);
      }
    }, delayMs);
    this.handles.add(handle);
    return toDisposable(() => this.cancel(handle));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const handle of this.handles) this.clock.clearTimeout(handle);
    this.handles.clear();
  }

  private cancel(handle: TimerHandle): void {
    if (!this.handles.delete(handle)) return;
    this.clock.clearTimeout(handle);
  }
}

/**
 * Timers in simulated time: a delay of `ms` simulated milliseconds waits `ms / speed` on the
 * clock, so a scenario at speed 10 runs ten times faster than a real printer.
 */
export class ScaledTimers {
  constructor(
    private readonly timers: TimerSet,
    readonly speed: number,
  ) {}

  after(simulatedMs: number, callback: () => void): Disposable {
    return this.timers.after(simulatedMs / this.speed, callback);
  }
}
