import { isAuthFailureCode } from './mqtt-reason-codes.js';

/** Reason of a reconnect requested from outside the connection. */
export type ReconnectReason = 'token_renewed' | 'auth_failure' | 'connection_lost';

/**
 * Cause of an ended connection. `token_renewed` is planned: the bridge keeps print tracking and
 * pending commands across it, and it is not counted as a disconnect.
 */
export type DisconnectCause = ReconnectReason | 'broker_disconnect';

export const DISCONNECT_CAUSES = [
  'connection_lost',
  'auth_failure',
  'broker_disconnect',
  'token_renewed',
] as const satisfies readonly DisconnectCause[];

export type UnplannedDisconnectCause = Exclude<DisconnectCause, 'token_renewed'>;

export interface ConnectedEvent {
  /** True after a reconnect that the connection made on purpose (token renewal). */
  planned: boolean;
  /** Whether the broker still held the session (Clean Start is false). */
  sessionPresent: boolean;
  /** Cause of the disconnect that this connect ends, absent for the first connect. */
  previousCause?: DisconnectCause;
  /** Reason code of that disconnect: the broker's DISCONNECT code, or 0 when none was sent. */
  previousReasonCode?: number;
}

export interface DisconnectedEvent {
  cause: DisconnectCause;
  /** The broker's DISCONNECT reason code, or 0 when the socket closed without one. */
  reasonCode: number;
}

/**
 * Maps a dropped connection to its cause. A DISCONNECT with code 5, 134 or 135 is an auth
 * failure. Any other DISCONNECT is `broker_disconnect`, and a socket that closed without one is
 * `connection_lost`.
 */
export function causeOfDrop(brokerReasonCode: number | undefined): UnplannedDisconnectCause {
  if (brokerReasonCode === undefined) return 'connection_lost';
  if (isAuthFailureCode(brokerReasonCode)) return 'auth_failure';
  return 'broker_disconnect';
}
