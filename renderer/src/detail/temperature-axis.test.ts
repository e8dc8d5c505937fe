import { describe, expect, it } from 'vitest';

import { temperatureRange } from './temperature-axis.js';

describe('temperatureRange', () => {
  it('keeps room temperature below the top', () => {
    const [bottom, top] = temperatureRange(21.8, 22.4);

    expect(top).toBeGreaterThanOrEqual(22.4 + 2);
    expect(bottom).toBeLessThanOrEqual(21.8 - 2);
    expect(top % 5).toBe(0);
    expect(bottom % 5).toBe(0);
  });

  it('pads a wide span by a tenth', () => {
    const [bottom, top] = temperatureRange(24, 215);

    expect(top).toBeGreaterThanOrEqual(215 + 19.1);
    expect(bottom).toBeLessThanOrEqual(24 - 19.1);
    expect(top % 10).toBe(0);
  });

  it.each([
    [null, null],
    [Infinity, -Infinity],
  ])('falls back without data (%s, %s)', (min, max) => {
    expect(temperatureRange(min, max)).toEqual([0, 50]);
  });
});
