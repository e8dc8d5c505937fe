import { describe, expect, it } from 'vitest';

import { targetRow } from './grid-keys.js';

describe('targetRow', () => {
  it.each([
    ['ArrowDown', 3, 4],
    ['ArrowDown', 9, 9],
    ['ArrowUp', 3, 2],
    ['ArrowUp', 0, 0],
    ['PageDown', 3, 7],
    ['PageDown', 8, 9],
    ['PageUp', 6, 2],
    ['PageUp', 2, 0],
    ['Home', 5, 0],
    ['End', 5, 9],
  ])('moves %s from row %i to row %i', (key, active, expected) => {
    expect(targetRow(key, active, 10, 4)).toBe(expected);
  });

  it('ignores other keys', () => {
    expect(targetRow('a', 3, 10, 4)).toBeUndefined();
  });

  it('moves nowhere in an empty list', () => {
    expect(targetRow('End', 0, 0, 4)).toBeUndefined();
  });

  it('pages by one row when no row fits', () => {
    expect(targetRow('PageDown', 3, 10, 0)).toBe(4);
  });
});
