import { describe, expect, it } from 'vitest';

import { CodedError } from '../support/coded-error.js';
import { assertTransition, canTransition } from './connection-state.js';

describe('connection state table', () => {
  it.each([
    ['idle', 'connecting'],
    ['idle', 'stopped'],
    ['connecting', 'connected'],
    ['connected', 'reconnecting'],
    ['reconnecting', 'connected'],
    ['reconnecting', 'stopping'],
    ['stopping', 'stopped'],
  ] as const)('allows %s to %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
  });

  it.each([
    ['idle', 'connected'],
    ['connecting', 'reconnecting'],
    ['connected', 'connecting'],
    ['stopped', 'connecting'],
    ['stopping', 'connected'],
  ] as const)('rejects %s to %s', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
  });

  it('throws invalid_transition with both states', () => {
    let thrown: unknown;
    try {
      assertTransition('stopped', 'connecting');
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(CodedError);
    expect((thrown as CodedError).code).toBe('invalid_transition');
    expect((thrown as CodedError).message).toBe(
      'Connection state cannot change from stopped to connecting',
    );
  });
});
