import type { Clock, TimerHandle } from '../../main/support/clock.js';

interface PendingTimer {
  id: number;
  dueAt: number;
  callback: () => void;
}

/**
 * A clock whose time moves only when a test calls `advance`. Timers fire in due order, and a timer
 * scheduled by a firing timer runs in the same `advance` call when it falls inside the window.
 */
export class FakeClock implements Clock {
  private wallMs: number;
  private monotonicMs = 0;
  private nextId = 1;
  private timers: PendingTimer[] = [];

  constructor(startEpochMs = Date.UTC(2026, 0, 1, 12, 0, 0)) {
    this.wallMs = startEpochMs;
  }

  now(): number {
    return this.wallMs;
  }

  monotonic(): number {
    return this.monotonicMs;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const id = this.nextId++;
    this.timers.push({ id, dueAt: this.monotonicMs + Math.max(0, delayMs), callback });
    return { id };
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers = this.timers.filter((timer) => timer.id !== handle.id);
  }

  get pendingTimers(): number {
    return this.timers.length;
  }

  /** Moves wall-clock time alone, as when the system clock is adjusted. */
  jumpWallClock(deltaMs: number): void {
    this.wallMs += deltaMs;
  }

  /** Moves both clocks forward by `ms`, firing every timer that falls due on the way. */
  advance(ms: number): void {
    const target = this.monotonicMs + ms;
    for (;;) {
      const due = this.timers
        .filter((timer) => timer.dueAt <= target)
        .sort((a, b) => a.dueAt - b.dueAt || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((timer) => timer.id !== due.id);
      this.wallMs += due.dueAt - this.monotonicMs;
      this.monotonicMs = due.dueAt;
      due.callback();
    }
    this.wallMs += target - this.monotonicMs;
    this.monotonicMs = target;
  }

  /** Like `advance`, but lets promise callbacks run between timers. */
  async advanceAsync(ms: number): Promise<void> {
    const target = this.monotonicMs + ms;
    for (;;) {
      await flushMicrotasks();
      const due = this.timers
        .filter((timer) => timer.dueAt <= target)
        .sort((a, b) => a.dueAt - b.dueAt || a.id - b.id)[0];
      if (!due) break;
      this.advance(due.dueAt - this.monotonicMs);
    }
    this.advance(target - this.monotonicMs);
    await flushMicrotasks();
  }
}

export async function flushMicrotasks(rounds = 10): Promise<void> {
  for (let round = 0; round < rounds; round += 1) await Promise.resolve();
}
