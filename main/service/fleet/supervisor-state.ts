import { CodedError } from '../../support/coded-error.js';

/**
 * Lifecycle of one printer's supervisor.
 * - `delayed`: waiting for its staggered first start.
 * - `backoff`: the bridge crashed and was stopped; a new one starts when the wait is over.
 * - `stopped` is terminal: enabling the printer again creates a new supervisor.
 */
export type SupervisorState =
  'idle' | 'delayed' | 'starting' | 'running' | 'backoff' | 'stopping' | 'stopped';

const TRANSITIONS: Readonly<Record<SupervisorState, readonly SupervisorState[]>> = {
  idle: ['delayed', 'starting', 'stopping'],
  delayed: ['starting', 'stopping'],
  starting: ['running', 'backoff', 'stopping'],
  running: ['backoff', 'stopping'],
  backoff: ['starting', 'stopping'],
  stopping: ['stopped'],
  stopped: [],
};

export function assertSupervisorTransition(from: SupervisorState, to: SupervisorState): void {
  if (TRANSITIONS[from].includes(to)) return;
  throw new CodedError('invalid_transition', `A bridge supervisor cannot go from ${from} to ${to}`);
}

/** The supervisor's state with the facts the health chain shows about it. */
export interface SupervisorStatus {
  state: SupervisorState;
  /** Crashes since the bridge last ran for the healthy-reset period. */
  crashes: number;
  /** The latest crash: what threw, and its wall-clock time in epoch milliseconds. */
  lastCrash?: { source: string; message: string; at: number };
  /** Wall-clock epoch milliseconds of the next start while `delayed` or in `backoff`. */
  nextStartAt?: number;
}
