import { describe, expect, it } from 'vitest';

import { formatClock } from '../support/format.js';
import {
  TIME_AXIS_INCREMENTS,
  timeAxisEndPadding,
  timeAxisFormatter,
  timeAxisSpace,
  timeWindow,
} from './time-axis.js';

/** Epoch seconds of a local wall-clock time, so the tests hold in any time zone. */
function localSeconds(hours: number, minutes: number, seconds = 0): number {
  return new Date(2026, 2, 14, hours, minutes, seconds).getTime() / 1000;
}

describe('timeAxisFormatter', () => {
  it('uses 24 h in English and in Chinese', () => {
    expect(timeAxisFormatter('en')(localSeconds(22, 2))).toBe('22:02');
    expect(timeAxisFormatter('zh-CN')(localSeconds(15, 5))).toBe('15:05');
  });

  it('starts the day at 00, not 24', () => {
    expect(timeAxisFormatter('en')(localSeconds(0, 5))).toBe('00:05');
  });

  it('shows no seconds', () => {
    expect(timeAxisFormatter('en')(localSeconds(15, 5, 42.5))).toBe('15:05');
  });

  it('matches the clock of the other times', () => {
    const at = localSeconds(9, 41);
    for (const language of ['en', 'zh-CN']) {
      expect(timeAxisFormatter(language)(at)).toBe(formatClock(at * 1000, language));
    }
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
  it('spans the ten minutes up to its end', () => {
    expect(timeWindow(10_000)).toEqual([9_400, 10_000]);
  });
});

describe('timeAxisSpace', () => {
  it('leaves more room for longer labels', () => {
    const twelve = timeAxisSpace((seconds) => `${timeAxisFormatter('en')(seconds)} PM`);
    const twentyFour = timeAxisSpace(timeAxisFormatter('en'));
    expect(twelve).toBeGreaterThan(twentyFour);
    // The narrowest chart (320 px) fits at least five labels.
    expect(320 / twentyFour).toBeGreaterThanOrEqual(5);
  });
});

describe('timeAxisEndPadding', () => {
  it('leaves room for half of the last label', () => {
    const format = timeAxisFormatter('en');
    const labelWidth = format(localSeconds(12, 55)).length * 7;

    expect(timeAxisEndPadding(format)).toBeGreaterThanOrEqual(labelWidth / 2);
  });
});
