import { describe, expect, it } from 'vitest';
import { renewalDelaySeconds, renewalRetryDelaySeconds } from './renewal-schedule.js';

describe('renewalDelaySeconds', () => {
  it.each([
    [3600, 2940],
    [1800, 1410],
    [7200, 6000],
    [604_800, 513_960],
    [200, 60],
    [60, 60],
  ])('renews a %i s token after %i s', (lifetime, delay) => {
    expect(renewalDelaySeconds(lifetime)).toBe(delay);
  });
});

describe('renewalRetryDelaySeconds', () => {
  it('doubles from 30 s up to 3600 s', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8, 9, 20].map((failures) =>
      renewalRetryDelaySeconds(failures, 86_400),
    );

    expect(delays).toEqual([30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]);
  });

  it('waits at most 30 s when the token expires within 10 min', () => {
    expect(renewalRetryDelaySeconds(5, 600)).toBe(30);
    expect(renewalRetryDelaySeconds(5, 1)).toBe(30);
    expect(renewalRetryDelaySeconds(5, 601)).toBe(480);
  });

  it('waits 15 s once the token has expired', () => {
    expect(renewalRetryDelaySeconds(1, 0)).toBe(15);
    expect(renewalRetryDelaySeconds(9, -500)).toBe(15);
  });

  it('applies only the doubling without a token', () => {
    expect(renewalRetryDelaySeconds(1, null)).toBe(30);
    expect(renewalRetryDelaySeconds(10, null)).toBe(3600);
  });

  it('treats failure counts below 1 as the first', () => {
    expect(renewalRetryDelaySeconds(0, 86_400)).toBe(30);
    expect(renewalRetryDelaySeconds(-3, 100)).toBe(30);
  });
});
