import { describe, expect, it } from 'vitest';

import { RestartBackoff } from './restart-backoff.js';
import { startDelays, startSpreadMs } from './start-stagger.js';

describe('RestartBackoff', () => {
  it('doubles from 1 s up to 5 min', () => {
    const backoff = new RestartBackoff({}, () => 1);

    const delays = Array.from({ length: 11 }, () => backoff.nextDelayMs());

    expect(delays).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000, 300_000,
    ]);
  });

  it('cuts each wait by at most half', () => {
    const backoff = new RestartBackoff({}, () => 0);

    expect([backoff.nextDelayMs(), backoff.nextDelayMs()]).toEqual([500, 1_000]);
  });

  it('starts over after a reset', () => {
    const backoff = new RestartBackoff({}, () => 1);
    backoff.nextDelayMs();
    backoff.nextDelayMs();

    backoff.reset();

    expect(backoff.count).toBe(0);
    expect(backoff.nextDelayMs()).toBe(1_000);
  });
});

describe('startSpreadMs', () => {
  it('spreads 100 ms per printer up to 30 s', () => {
    expect(startSpreadMs(1)).toBe(100);
    expect(startSpreadMs(200)).toBe(20_000);
    expect(startSpreadMs(1_000)).toBe(30_000);
    expect(startSpreadMs(0)).toBe(0);
  });
});

describe('startDelays', () => {
  it('draws each delay uniformly over the spread', () => {
    const values = [0, 0.5, 0.999];

    expect(startDelays(3, () => values.shift() ?? 0)).toEqual([0, 150, 299]);
  });
});
