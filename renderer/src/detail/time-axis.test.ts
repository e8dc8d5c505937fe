import { describe, expect, it } from 'vitest';

import {
  TIME_AXIS_INCREMENTS,
  chartLocale,
  timeAxisFormatter,
  timeAxisSpace,
  timeWindow,
} from './time-axis.js';

/** Epoch seconds of a local wall-clock time, so the tests hold in any time zone. */
function localSeconds(hours: number, minutes: number, seconds = 0): number {
  return new Date(2026, 2, 14, hours, minutes, seconds).getTime() / 1000;
}

/** Replaces the narrow no-break spaces some ICU versions put before AM and PM. */
function plain(text: string): string {
  return text.replace(/[\u202f\u00a0]/g, ' ');
}

describe('timeAxisFormatter', () => {
  it('uses 12 h with AM and PM in the United States', () => {
    const format = timeAxisFormatter('en-US');
    expect(plain(format(localSeconds(15, 5)))).toBe('3:05 PM');
    expect(plain(format(localSeconds(9, 0)))).toBe('9:00 AM');
  });

  it('uses 24 h in the United Kingdom and in China', () => {
    expect(timeAxisFormatter('en-GB')(localSeconds(15, 5))).toBe('15:05');
    expect(timeAxisFormatter('zh-CN')(localSeconds(15, 5))).toBe('15:05');
  });

  it('shows no seconds', () => {
    expect(timeAxisFormatter('en-GB')(localSeconds(15, 5, 42.5))).toBe('15:05');
  });
});

describe('TIME_AXIS_INCREMENTS', () => {
  it('steps in whole minutes only', () => {
    for (const step of TIME_AXIS_INCREMENTS) expect(step % 60).toBe(0);
  });

  it('offers a step that gives at least five ticks in ten minutes', () => {
    expect(Math.min(...TIME_AXIS_INCREMENTS)).toBeLessThanOrEqual(120);
  });
});

describe('timeWindow', () => {
  it('spans the ten minutes up to the newest sample', () => {
    expect(timeWindow(10_000)).toEqual([9_400, 10_000]);
  });
});

describe('chartLocale', () => {
  it('takes the browser locale of the UI language', () => {
    expect(chartLocale('en', ['en-GB', 'de-DE'])).toBe('en-GB');
    expect(chartLocale('zh-CN', ['en-US', 'zh-TW'])).toBe('zh-TW');
  });

  it('falls back to the UI language', () => {
    expect(chartLocale('zh-CN', ['en-GB'])).toBe('zh-CN');
    expect(chartLocale('en', [])).toBe('en');
  });
});

describe('timeAxisSpace', () => {
  it('leaves more room for 12 h labels', () => {
    const twelve = timeAxisSpace(timeAxisFormatter('en-US'));
    const twentyFour = timeAxisSpace(timeAxisFormatter('en-GB'));
    expect(twelve).toBeGreaterThan(twentyFour);
    // The narrowest chart (320 px) fits at least three 12 h labels.
    expect(320 / twelve).toBeGreaterThanOrEqual(3);
  });
});
