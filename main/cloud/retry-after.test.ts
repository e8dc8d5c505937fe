import { describe, expect, it } from 'vitest';

import { jitterAbove, MAX_RETRY_AFTER_MS, parseRetryAfter } from './retry-after.js';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

describe('parseRetryAfter', () => {
  it.each([
    ['5', 5_000],
    [' 120 ', 120_000],
    ['0', 0],
    ['301', MAX_RETRY_AFTER_MS],
  ])('reads delay-seconds %j as %i ms', (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });

  it('reads an HTTP-date against the local clock', () => {
    const value = new Date(NOW + 30_000).toUTCString();

    expect(parseRetryAfter(value, NOW)).toBe(30_000);
  });

  it('prefers the response Date header', () => {
    const serverNow = NOW + 600_000;
    const value = new Date(serverNow + 10_000).toUTCString();

    expect(parseRetryAfter(value, NOW, new Date(serverNow).toUTCString())).toBe(10_000);
  });

  it('falls back to the local clock for an invalid Date header', () => {
    const value = new Date(NOW + 20_000).toUTCString();

    expect(parseRetryAfter(value, NOW, 'yesterday')).toBe(20_000);
  });

  it('treats a past date as no delay', () => {
    const value = new Date(NOW - 60_000).toUTCString();

    expect(parseRetryAfter(value, NOW)).toBe(0);
  });

  it.each([undefined, '', '-1', '1.5', 'soon', '5 s'])('rejects %j', (value) => {
    expect(parseRetryAfter(value, NOW)).toBeUndefined();
  });
});

describe('jitterAbove', () => {
  it('never shortens the delay', () => {
    expect(jitterAbove(5_000, () => 0)).toBe(5_000);
  });

  it('lengthens the delay by at most 20 %', () => {
    expect(jitterAbove(5_000, () => 0.999)).toBeCloseTo(5_999, 0);
  });
});
