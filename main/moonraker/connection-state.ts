import type { Clock } from '../support/clock.js';
import type { Disposable } from '../support/disposable.js';
import type { MoonrakerErrorCode } from './input.js';
import { ListenerSet } from '../support/listener-set.js';

/**
 * The Moonraker connection's lifecycle. `ready` means the websocket is open and probed, but
 * Klippy itself may still be unavailable (see `Capabilities.klippyAvailable`).
 */
export type ConnectionState = 'idle' | 'connecting' | 'probing' | 'ready' | 'backoff' | 'disposed';

export const CONNECTION_TRANSITIONS: Readonly<Record<ConnectionState, readonly ConnectionState[]>> =
  {
    idle: ['connecting', 'disposed'],
    connecting: ['probing', 'backoff', 'disposed'],
    probing: ['ready', 'backoff', 'disposed'],
    ready: ['backoff', 'disposed'],
    backoff: ['connecting', 'disposed'],
    disposed: [],
  };

/** The most recent failure, for health reporting. */
export interface ConnectionFailure {
  code: MoonrakerErrorCode;
  message: string;
  /** Wall-clock epoch milliseconds. */
  at: number;
}

export interface StateChange {
  state: ConnectionState;
  previous: ConnectionState;
  lastFailure: ConnectionFailure | null;
  /** Wait in ms before the next attempt while in `backoff`, else null. */
  retryInMs: number | null;
}

/** Stores the state, rejects transitions the table does not allow, and notifies listeners. */
export class ConnectionStateMachine {
  private current: ConnectionState = 'idle';
  private failure: ConnectionFailure | null = null;
  private retryDelay: number | null = null;
  private readonly listeners: ListenerSet<[StateChange]>;

  constructor(
    private readonly clock: Clock,
    onListenerError: (error: unknown) => void,
  ) {
    this.listeners = new ListenerSet(onListenerError);
  }

  get state(): ConnectionState {
    return this.current;
  }

  get lastFailure(): ConnectionFailure | null {
    return this.failure;
  }

  get retryInMs(): number | null {
    return this.retryDelay;
  }

  canTransition(to: ConnectionState): boolean {
    return CONNECTION_TRANSITIONS[this.current].includes(to);
  }

  /**
   * Moves to `to` and notifies listeners. A transition the table forbids is a programming error
   * and throws. `retryInMs` is the wait announced with a move to `backoff`.
   */
  transition(to: ConnectionState, retryInMs: number | null = null): void {
    if (!this.canTransition(to)) {
      throw new Error(`Invalid Moonraker connection transition ${this.current} -> ${to}`);
    }
    const previous = this.current;
    this.current = to;
    this.retryDelay = to === 'backoff' ? retryInMs : null;
    if (to === 'ready') this.failure = null;
    const change = { state: to, previous, lastFailure: this.failure, retryInMs: this.retryDelay };
    this.listeners.emit(change);
    if (to === 'disposed') this.listeners.clear();
  }

  recordFailure(code: MoonrakerErrorCode, message: string): void {
    this.failure = { code, message, at: this.clock.now() };
  }

  onChange(listener: (change: StateChange) => void): Disposable {
    return this.listeners.add(listener);
  }
}
