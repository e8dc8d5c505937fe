import type { Clock, TimerHandle } from '../../support/clock.js';
import type { Disposable } from '../../support/disposable.js';

interface WaitingState {
  printerIds: readonly string[];
  timer: TimerHandle;
}

/**
 * Expiry timers of the click-to-link states that wait for their callback. When a timer fires,
 * `onExpired` receives the state and its printers.
 */
export class WaitingStates implements Disposable {
  private readonly entries = new Map<string, WaitingState>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs: number,
    private readonly onExpired: (state: string, printerIds: readonly string[]) => void,
  ) {}

  add(state: string, printerIds: readonly string[]): void {
    const timer = this.clock.setTimeout(() => {
      this.entries.delete(state);
      this.onExpired(state, printerIds);
    }, this.ttlMs);
    this.entries.set(state, { printerIds, timer });
  }

  /** Stops the timer of `state` and returns its printers, or undefined when it does not wait. */
  take(state: string): readonly string[] | undefined {
    const entry = this.entries.get(state);
    if (!entry) return undefined;
    this.clock.clearTimeout(entry.timer);
    this.entries.delete(state);
    return entry.printerIds;
  }

  /** Returns the printers of `printerIds` that no waiting state includes. */
  uncovered(printerIds: readonly string[]): string[] {
    const covered = new Set([...this.entries.values()].flatMap((entry) => entry.printerIds));
    return printerIds.filter((printerId) => !covered.has(printerId));
  }

  dispose(): void {
    for (const entry of this.entries.values()) this.clock.clearTimeout(entry.timer);
    this.entries.clear();
  }
}
