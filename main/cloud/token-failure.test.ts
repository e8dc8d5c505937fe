import { describe, expect, it } from 'vitest';

import { CodedError } from '../support/coded-error.js';
import { isTokenRequestFailure, transientTokenFailureOf } from './token-failure.js';

function tokenError(code: string, details: Record<string, unknown>): CodedError {
  return new CodedError(code, `${code} message`, { details });
}

describe('transientTokenFailureOf', () => {
  it('reports a 503 with its Retry-After', () => {
    const error = tokenError('cloud_not_ready', { status: 503, retryAfterMs: 5_000 });

    expect(transientTokenFailureOf(error)).toEqual({
      status: 503,
      retryAfterMs: 5_000,
      summary: 'Owl Cloud is not ready for this device yet (HTTP 503)',
    });
  });

  it('reports a 429 without Retry-After', () => {
    const error = tokenError('rate_limited', { status: 429 });

    expect(transientTokenFailureOf(error)).toEqual({
      status: 429,
      summary: 'Owl Cloud is rate limiting the token requests of this device (HTTP 429)',
    });
  });

  it('reports another 5xx', () => {
    const error = tokenError('token_failed', { status: 500 });

    expect(transientTokenFailureOf(error)?.summary).toBe(
      'Owl Cloud failed to issue a token for this device (HTTP 500)',
    );
  });

  it.each([
    ['token_rejected', { status: 401 }],
    ['token_rejected', { status: 403 }],
    ['device_unknown', { status: 404 }],
    ['token_failed', { status: 400 }],
    ['cloud_unreachable', {}],
    ['connect_refused', { status: 503 }],
  ])('treats %s %o as lasting', (code, details) => {
    expect(transientTokenFailureOf(tokenError(code, details))).toBeUndefined();
  });

  it('treats a plain error as lasting', () => {
    expect(transientTokenFailureOf(new Error('HTTP 503'))).toBeUndefined();
  });
});

describe('isTokenRequestFailure', () => {
  it('accepts every token error code', () => {
    expect(isTokenRequestFailure(tokenError('cloud_unreachable', {}))).toBe(true);
    expect(isTokenRequestFailure(tokenError('token_rejected', { status: 401 }))).toBe(true);
  });

  it('rejects a connect error', () => {
    expect(isTokenRequestFailure(tokenError('connect_refused', { reasonCode: 5 }))).toBe(false);
  });
});
