import { CodedError } from '../../support/coded-error.js';

/**
 * Lifecycle of one client connection. `closing` means the broker has ended its side (after a
 * DISCONNECT either way, a rejection or an error) and waits for the socket to close.
 */
export type ConnectionState =
  'awaiting-connect' | 'authenticating' | 'connected' | 'closing' | 'closed';

const TRANSITIONS: Readonly<Record<ConnectionState, readonly ConnectionState[]>> = {
  'awaiting-connect': ['authenticating', 'closing', 'closed'],
  authenticating: ['connected', 'closing', 'closed'],
  connected: ['closing', 'closed'],
  closing: ['closed'],
  closed: [],
};

/** Returns `to`, or throws when the lifecycle does not allow moving there from `from`. */
export function transitionConnection(from: ConnectionState, to: ConnectionState): ConnectionState {
  if (!TRANSITIONS[from].includes(to)) {
    throw new CodedError(
      'invalid_connection_transition',
      `Connection cannot move from ${from} to ${to}`,
      { details: { from, to } },
    );
  }
  return to;
}

export function isEnding(state: ConnectionState): boolean {
  return state === 'closing' || state === 'closed';
}
