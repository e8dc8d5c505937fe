import { describe, expect, it } from 'vitest';

import {
  finiteNumber,
  flagValue,
  floorTemperature,
  fractionToPercent,
  isHeaterHeating,
  ledBrightnessPercent,
  roundHalfEven,
} from './sensor-values.js';

describe('sensor values', () => {
  describe('roundHalfEven', () => {
    it.each([
      [50.5, 50],
      [51.5, 52],
      [0.5, 0],
      [1.5, 2],
      [-0.5, 0],
      [-1.5, -2],
      [49.4, 49],
      [49.6, 50],
      [100, 100],
    ])('rounds %d to %d', (input, expected) => {
      expect(roundHalfEven(input)).toBe(expected);
    });

    it('rounds the exact double, as Python does', () => {
      expect(0.285 * 100).toBeLessThan(28.5);
      expect(roundHalfEven(0.285 * 100)).toBe(28);
    });
  });

  describe('floorTemperature', () => {
    it('floors to whole degrees', () => {
      expect(floorTemperature(204.93)).toBe(204);
      expect(floorTemperature(204.0)).toBe(204);
      expect(floorTemperature(-0.2)).toBe(-1);
    });

    it('returns null for unknown values', () => {
      expect(floorTemperature(null)).toBeNull();
      expect(floorTemperature('204')).toBeNull();
      expect(floorTemperature(Number.NaN)).toBeNull();
    });
  });

  describe('fractionToPercent', () => {
    it('converts a fraction with half-to-even rounding', () => {
      expect(fractionToPercent(0.505)).toBe(50);
      expect(fractionToPercent(0.515)).toBe(52);
      expect(fractionToPercent(0.125)).toBe(12);
      expect(fractionToPercent(1)).toBe(100);
      expect(fractionToPercent(0)).toBe(0);
    });

    it('returns null for a missing speed', () => {
      expect(fractionToPercent(undefined)).toBeNull();
    });
  });

  describe('ledBrightnessPercent', () => {
    it('averages the white channel when any LED has white lit', () => {
      const chain = [
        [1, 0, 0, 0.5],
        [0, 0, 0, 0.25],
      ];
      expect(ledBrightnessPercent(chain)).toBe(38);
    });

    it('takes the brightest colour channel without white', () => {
      const chain = [
        [0.2, 0.4, 0.1, 0],
        [0.1, 0.1, 0.75, 0],
      ];
      expect(ledBrightnessPercent(chain)).toBe(75);
    });

    it('reports an LED that is off as 0', () => {
      expect(ledBrightnessPercent([[0, 0, 0, 0]])).toBe(0);
    });

    it('returns null without colour data', () => {
      expect(ledBrightnessPercent(undefined)).toBeNull();
      expect(ledBrightnessPercent([])).toBeNull();
      expect(ledBrightnessPercent('red')).toBeNull();
    });
  });

  describe('flagValue', () => {
    it('maps booleans to 1 and 0', () => {
      expect(flagValue(true)).toBe(1);
      expect(flagValue(false)).toBe(0);
      expect(flagValue(null)).toBeNull();
    });
  });

  describe('finiteNumber', () => {
    it('accepts finite numbers only', () => {
      expect(finiteNumber(3.5)).toBe(3.5);
      expect(finiteNumber(Number.POSITIVE_INFINITY)).toBeUndefined();
      expect(finiteNumber('3')).toBeUndefined();
    });
  });

  describe('isHeaterHeating', () => {
    it('is true above 40 °C and at least 5 °C below target', () => {
      expect(isHeaterHeating(100, 215)).toBe(true);
      expect(isHeaterHeating(210, 215)).toBe(true);
    });

    it('is false near the target, for low targets and for unknowns', () => {
      expect(isHeaterHeating(211, 215)).toBe(false);
      expect(isHeaterHeating(20, 40)).toBe(false);
      expect(isHeaterHeating(undefined, 215)).toBe(false);
      expect(isHeaterHeating(20, undefined)).toBe(false);
    });
  });
});
