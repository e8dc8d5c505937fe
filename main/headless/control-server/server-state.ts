/** Lifecycle of a control server, which starts once and cannot start again after closing. */
export type ServerState = 'idle' | 'starting' | 'listening' | 'closing' | 'closed';

const TRANSITIONS: Readonly<Record<ServerState, readonly ServerState[]>> = {
  idle: ['starting', 'closing'],
  starting: ['listening', 'closed'],
  listening: ['closing'],
  closing: ['closed'],
  closed: [],
};

/** Returns `next`, or throws when the table does not allow going there from `current`. */
export function nextServerState(current: ServerState, next: ServerState): ServerState {
  if (!TRANSITIONS[current].includes(next)) {
    throw new Error(`Control server cannot go from ${current} to ${next}`);
  }
  return next;
}
