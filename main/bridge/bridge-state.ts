import { CodedError } from '../support/coded-error.js';

/**
 * Lifecycle of one printer bridge. `failed` follows a start that threw, or an exception in one of
 * the running bridge's callbacks; the owner then stops the bridge and may start a new one.
 */
export type BridgeState = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped' | 'failed';

const TRANSITIONS: Readonly<Record<BridgeState, readonly BridgeState[]>> = {
  idle: ['starting', 'stopped'],
  starting: ['running', 'failed', 'stopping'],
  running: ['stopping', 'failed'],
  stopping: ['stopped'],
  stopped: [],
  failed: ['stopping', 'stopped'],
};

export function assertBridgeTransition(from: BridgeState, to: BridgeState): void {
  if (TRANSITIONS[from].includes(to)) return;
  throw new CodedError('invalid_transition', `A bridge cannot go from ${from} to ${to}`);
}
