import { afterEach, describe, expect, it, vi } from 'vitest';

import { MAX_TIMER_DELAY_MS, systemClock, timerStepMs } from './clock.js';

describe('timerStepMs', () => {
  it.each([
    { remainingMs: 1_500, stepMs: 1_500 },
    { remainingMs: -20, stepMs: 0 },
    { remainingMs: Number.NaN, stepMs: 0 },
    { remainingMs: MAX_TIMER_DELAY_MS + 1, stepMs: MAX_TIMER_DELAY_MS },
    { remainingMs: Number.POSITIVE_INFINITY, stepMs: MAX_TIMER_DELAY_MS },
  ])('turns $remainingMs ms into $stepMs ms', ({ remainingMs, stepMs }) => {
    expect(timerStepMs(remainingMs)).toBe(stepMs);
  });
});

describe('systemClock.setTimeout', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('arms no timer that overflows in Node', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning);
    };
    process.on('warning', onWarning);
    try {
      const handle = systemClock.setTimeout(() => undefined, 10_000_000 * 1000);
      systemClock.clearTimeout(handle);
      // Node emits the warning on the next tick after the timer was created.
      await new Promise<void>((resolve) => process.nextTick(resolve));
    } finally {
      process.off('warning', onWarning);
    }

    expect(warnings.map((warning) => warning.name)).not.toContain('TimeoutOverflowWarning');
  });

  it('runs a delay above the timer limit after the whole delay', () => {
    // Vitest's fake timers fire an overflowing delay after 1 ms, as Node does.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const delayMs = MAX_TIMER_DELAY_MS + 5_000;
    let calls = 0;

    systemClock.setTimeout(() => {
      calls += 1;
    }, delayMs);

    vi.advanceTimersByTime(10);
    expect(calls).toBe(0);
    vi.advanceTimersByTime(delayMs - 11);
    expect(calls).toBe(0);
    vi.advanceTimersByTime(1);
    expect(calls).toBe(1);
  });

  it('cancels a long delay after its first timer ran', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let calls = 0;
    const handle = systemClock.setTimeout(() => {
      calls += 1;
    }, 2 * MAX_TIMER_DELAY_MS);

    vi.advanceTimersByTime(MAX_TIMER_DELAY_MS + 1);
    systemClock.clearTimeout(handle);
    vi.advanceTimersByTime(2 * MAX_TIMER_DELAY_MS);

    expect(calls).toBe(0);
  });

  it('runs a negative delay at once', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let calls = 0;

    systemClock.setTimeout(() => {
      calls += 1;
    }, -50);
    vi.advanceTimersByTime(0);

    expect(calls).toBe(1);
  });
});
