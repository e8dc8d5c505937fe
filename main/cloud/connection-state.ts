import { CodedError } from '../support/coded-error.js';

/**
 * Lifecycle of one device's MQTT connection.
 * - `connecting`: the first connection is being made, including its retries.
 * - `reconnecting`: a later connection is being made after a drop or a requested reconnect.
 * - `stopping`: the final message and the DISCONNECT are under way. `stopped` is terminal.
 */
export type ConnectionState =
  'idle' | 'connecting' | 'connected' | 'reconnecting' | 'stopping' | 'stopped';

export const CONNECTION_TRANSITIONS: Readonly<Record<ConnectionState, readonly ConnectionState[]>> =
  {
    idle: ['connecting', 'stopped'],
    connecting: ['connected', 'stopping'],
    connected: ['reconnecting', 'stopping'],
    reconnecting: ['connected', 'stopping'],
    stopping: ['stopped'],
    stopped: [],
  };

export function canTransition(from: ConnectionState, to: ConnectionState): boolean {
  return CONNECTION_TRANSITIONS[from].includes(to);
}

/** Throws `invalid_transition` when the table does not allow `from` → `to`. */
export function assertTransition(from: ConnectionState, to: ConnectionState): void {
  if (canTransition(from, to)) return;
  throw new CodedError(
    'invalid_transition',
    `Connection state cannot change from ${from} to ${to}`,
    {
      details: { from, to },
    },
  );
}
