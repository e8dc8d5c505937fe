import type { Clock, TimerHandle } from '../../support/clock.js';
import type { Disposable } from '../../support/disposable.js';

/**
 * Coalesces change notifications per key: the first goes out at once, and later ones within
 * `intervalMs` of the last emission become one trailing emission at the end of the interval.
 * With 250 ms, a printer produces at most four notifications a second however often it changes.
 */
export class ChangeThrottle implements Disposable {
  private readonly lastEmitted = new Map<string, number>();
  private readonly pending = new Map<string, TimerHandle>();
  private disposed = false;

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly emit: (key: string) => void,
  ) {}

  notify(key: string): void {
    if (this.disposed || this.pending.has(key)) return;
    const now = this.clock.monotonic();
    const last = this.lastEmitted.get(key);
    if (last === undefined || now - last >= this.intervalMs) {
      this.fire(key, now);
      return;
    }
    const timer = this.clock.setTimeout(
      () => {
        this.pending.delete(key);
        this.fire(key, this.clock.monotonic());
      },
      last + this.intervalMs - now,
    );
    this.pending.set(key, timer);
  }

  /** Drops the key's pending emission and history, as when its printer is removed. */
  forget(key: string): void {
    const timer = this.pending.get(key);
    if (timer) this.clock.clearTimeout(timer);
    this.pending.delete(key);
    this.lastEmitted.delete(key);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const timer of this.pending.values()) this.clock.clearTimeout(timer);
    this.pending.clear();
  }

  private fire(key: string, now: number): void {
    if (this.disposed) return;
    this.lastEmitted.set(key, now);
    this.emit(key);
  }
}
