import type { Clock, TimerHandle } from '../../support/clock.js';
import type { Disposable } from '../../support/disposable.js';

interface WaitingState {
  printerIds: readonly string[];
  /** Printers of the state whose linking was cancelled, so their codes are not exchanged. */
  cancelled: Set<string>;
  timer: TimerHandle;
}

/** The printers of a click-to-link state that stopped waiting, and which of them were cancelled. */
export interface TakenState {
  printerIds: readonly string[];
  cancelled: ReadonlySet<string>;
}

/**
 * Expiry timers of the click-to-link states that wait for their callback. When a timer fires,
 * `onExpired` receives the state and its printers that were not cancelled.
 */
export class WaitingStates implements Disposable {
  private readonly entries = new Map<string, WaitingState>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs: number,
    private readonly onExpired: (state: string, printerIds: readonly string[]) => void,
  ) {}

  /**
   * Starts the expiry timer of `state`, due after `delayMs`: the full time to live for a new
   * state, the rest of it for one read back after a restart.
   */
  add(state: string, printerIds: readonly string[], delayMs = this.ttlMs): void {
    const cancelled = new Set<string>();
    const timer = this.clock.setTimeout(() => {
      this.entries.delete(state);
      const remaining = printerIds.filter((printerId) => !cancelled.has(printerId));
      this.onExpired(state, remaining);
    }, delayMs);
    this.entries.set(state, { printerIds, cancelled, timer });
  }

  has(state: string): boolean {
    return this.entries.has(state);
  }

  /** Stops the timer of `state` and returns its printers, or undefined when it does not wait. */
  take(state: string): TakenState | undefined {
    const entry = this.entries.get(state);
    if (!entry) return undefined;
    this.clock.clearTimeout(entry.timer);
    this.entries.delete(state);
    return { printerIds: entry.printerIds, cancelled: entry.cancelled };
  }

  /**
   * Marks `printerId` as cancelled in every state that waits for it. Returns whether any state
   * waited for it, and the states whose printers are now all cancelled, which stop waiting.
   */
  cancel(printerId: string): { found: boolean; ended: string[] } {
    let found = false;
    const ended: string[] = [];
    for (const [state, entry] of this.entries) {
      if (!entry.printerIds.includes(printerId) || entry.cancelled.has(printerId)) continue;
      found = true;
      entry.cancelled.add(printerId);
      if (entry.cancelled.size < entry.printerIds.length) continue;
      this.clock.clearTimeout(entry.timer);
      this.entries.delete(state);
      ended.push(state);
    }
    return { found, ended };
  }

  /** Returns the printers of `printerIds` that no waiting state includes without cancelling. */
  uncovered(printerIds: readonly string[]): string[] {
    const covered = new Set(
      [...this.entries.values()].flatMap((entry) =>
        entry.printerIds.filter((printerId) => !entry.cancelled.has(printerId)),
      ),
    );
    return printerIds.filter((printerId) => !covered.has(printerId));
  }

  dispose(): void {
    for (const entry of this.entries.values()) this.clock.clearTimeout(entry.timer);
    this.entries.clear();
  }
}
