import {
  STATE_CONFIRMATION_TIMEOUT_SECONDS,
  STATE_CONFIRMED_COMMANDS,
} from '../../shared/contract/commands.js';
import type { Clock, TimerHandle } from '../support/clock.js';
import type { Disposable } from '../support/disposable.js';

/**
 * Completion of commands that finish only when `print_stats.state` reaches an expected value
 * (pause → `paused`, resume → `printing`, cancel → `cancelled`).
 *
 * A command is registered with `expect` before its action is sent, because Moonraker may push the
 * new state before the action's HTTP response arrives. Only a state change observed after that
 * counts, so a pause sent to a printer that is already paused observes no change and times out.
 */

/** Returns the print state a command waits for, or undefined when it completes at once. */
export function expectedStateOf(command: string): string | undefined {
  if (!Object.hasOwn(STATE_CONFIRMED_COMMANDS, command)) return undefined;
  return STATE_CONFIRMED_COMMANDS[command as keyof typeof STATE_CONFIRMED_COMMANDS];
}

export interface PendingCommand {
  commandId: string;
  commandType: string;
  expectedState: string;
}

export type StateSettlement =
  | { outcome: 'reached'; command: PendingCommand }
  | { outcome: 'timeout'; command: PendingCommand; timeoutSeconds: number };

/**
 * `acting`: the action is in flight and the state has not been seen. `reached-early`: the state
 * was seen while the action was in flight. `waiting`: the action succeeded and the deadline runs.
 */
type Phase = 'acting' | 'reached-early' | 'waiting';

const TRANSITIONS: Record<Phase, readonly Phase[]> = {
  acting: ['reached-early', 'waiting'],
  'reached-early': [],
  waiting: [],
};

interface Entry {
  command: PendingCommand;
  phase: Phase;
  timer?: TimerHandle;
}

export interface PendingStateTrackerOptions {
  clock: Clock;
  onSettled: (settlement: StateSettlement) => void;
  timeoutSeconds?: number;
}

export class PendingStateTracker implements Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly timeoutSeconds: number;
  private disposed = false;

  constructor(private readonly options: PendingStateTrackerOptions) {
    this.timeoutSeconds = options.timeoutSeconds ?? STATE_CONFIRMATION_TIMEOUT_SECONDS;
  }

  get size(): number {
    return this.entries.size;
  }

  has(commandId: string): boolean {
    return this.entries.has(commandId);
  }

  /** Starts watching for the command's state; call it before the action is sent. */
  expect(command: PendingCommand): void {
    if (this.disposed) return;
    this.remove(command.commandId);
    this.entries.set(command.commandId, { command: { ...command }, phase: 'acting' });
  }

  /** Marks the action as succeeded: completes now if the state was already seen, else waits. */
  confirm(commandId: string): void {
    const entry = this.entries.get(commandId);
    if (!entry || entry.phase === 'waiting') return;

    if (entry.phase === 'reached-early') {
      this.settle(entry, { outcome: 'reached', command: entry.command });
      return;
    }
    this.move(entry, 'waiting');
    const delayMs = this.timeoutSeconds * 1000;
    entry.timer = this.options.clock.setTimeout(() => this.expire(commandId), delayMs);
  }

  /** Stops watching a command, for a failed action or an abandoned command. */
  remove(commandId: string): void {
    const entry = this.entries.get(commandId);
    if (!entry) return;
    if (entry.timer) this.options.clock.clearTimeout(entry.timer);
    this.entries.delete(commandId);
  }

  /** Call on every observed change of `print_stats.state`; all matching commands complete. */
  onPrintState(state: string): void {
    if (this.disposed) return;
    const observed = state.toLowerCase();
    for (const entry of [...this.entries.values()]) {
      if (entry.command.expectedState.toLowerCase() !== observed) continue;
      if (entry.phase === 'acting') this.move(entry, 'reached-early');
      else if (entry.phase === 'waiting') {
        this.settle(entry, { outcome: 'reached', command: entry.command });
      }
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const commandId of [...this.entries.keys()]) this.remove(commandId);
  }

  private expire(commandId: string): void {
    const entry = this.entries.get(commandId);
    if (this.disposed || !entry) return;
    const timeoutSeconds = this.timeoutSeconds;
    this.settle(entry, { outcome: 'timeout', command: entry.command, timeoutSeconds });
  }

  private settle(entry: Entry, settlement: StateSettlement): void {
    this.remove(entry.command.commandId);
    this.options.onSettled(settlement);
  }

  private move(entry: Entry, next: Phase): void {
    if (!TRANSITIONS[entry.phase].includes(next)) {
      throw new Error(`Pending command cannot move from ${entry.phase} to ${next}`);
    }
    entry.phase = next;
  }
}
