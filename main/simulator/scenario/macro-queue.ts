import type { Disposable } from '../../support/disposable.js';
import type { ScaledTimers } from '../timer-set.js';

interface QueuedMacro {
  readonly delayMs: number;
  readonly run: () => void;
}

/**
 * Runs Klipper macros one after another, each taking `delayMs` of simulated time, as Klipper's
 * G-code queue does: a RESUME sent while PAUSE still runs starts once PAUSE has finished.
 */
export class MacroQueue implements Disposable {
  private readonly queue: QueuedMacro[] = [];
  private running: Disposable | undefined;

  constructor(private readonly timers: ScaledTimers) {}

  get isIdle(): boolean {
    return this.running === undefined && this.queue.length === 0;
  }

  enqueue(delayMs: number, run: () => void): void {
    this.queue.push({ delayMs, run });
    if (!this.running) this.runNext();
  }

  /** Drops the running macro and every queued one, as a shutdown does. */
  clear(): void {
    this.queue.length = 0;
    this.running?.dispose();
    this.running = undefined;
  }

  dispose(): void {
    this.clear();
  }

  private runNext(): void {
    const next = this.queue.shift();
    if (!next) {
      this.running = undefined;
      return;
    }
    this.running = this.timers.after(next.delayMs, () => {
      try {
        next.run();
      } finally {
        this.runNext();
      }
    });
  }
}
