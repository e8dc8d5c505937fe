import { describe, expect, it } from 'vitest';

import { parseWindowState, restoreBounds } from './window-state.js';

const primary = { x: 0, y: 0, width: 1920, height: 1040 };
const right = { x: 1920, y: 0, width: 1280, height: 1000 };

describe('restoreBounds', () => {
  it('keeps bounds that fit a display', () => {
    const saved = { x: 2000, y: 100, width: 1000, height: 700 };
    expect(restoreBounds(saved, [primary, right], primary)).toEqual(saved);
  });

  it('centres a window whose display is gone', () => {
    const saved = { x: 2000, y: 100, width: 1000, height: 700 };
    expect(restoreBounds(saved, [primary], primary)).toEqual({
      x: 460,
      y: 170,
      width: 1000,
      height: 700,
    });
  });

  it('enforces the 800x600 minimum', () => {
    const restored = restoreBounds({ x: 10, y: 10, width: 300, height: 200 }, [primary], primary);
    expect(restored).toEqual({ x: 10, y: 10, width: 800, height: 600 });
  });

  it('shrinks a window larger than its display', () => {
    const restored = restoreBounds({ x: 0, y: 0, width: 4000, height: 3000 }, [primary], primary);
    expect(restored).toEqual({ x: 0, y: 0, width: 1920, height: 1040 });
  });

  it('pulls a window hanging off the edge back inside', () => {
    const restored = restoreBounds(
      { x: 1500, y: 500, width: 900, height: 700 },
      [primary],
      primary,
    );
    expect(restored).toEqual({ x: 1020, y: 340, width: 900, height: 700 });
  });

  it('centres the default size without saved bounds', () => {
    expect(restoreBounds(undefined, [primary], primary)).toEqual({
      x: 360,
      y: 120,
      width: 1200,
      height: 800,
    });
  });
});

describe('parseWindowState', () => {
  it('reads a stored state', () => {
    const text = JSON.stringify({
      bounds: { x: 1, y: 2, width: 900, height: 700 },
      maximized: true,
    });
    expect(parseWindowState(text)).toEqual({
      bounds: { x: 1, y: 2, width: 900, height: 700 },
      maximized: true,
    });
  });

  it('ignores invalid text', () => {
    expect(parseWindowState('{"bounds":')).toBeUndefined();
    expect(parseWindowState('{"bounds":{"x":"a"}}')).toBeUndefined();
  });
});
