import { describe, expect, it } from 'vitest';
import { seededRandom } from './seeded-random.js';
import { AMBIENT_CELSIUS, Heater } from './thermal.js';

const config = { heatTauSeconds: 10, coolTauSeconds: 40, minTemp: 0, maxTemp: 300, noise: 0 };
const noNoise = (): number => 0.5;

describe('Heater', () => {
  describe('step', () => {
    it('approaches the target with a first-order lag', () => {
      const heater = new Heater(config, noNoise);
      heater.setTarget(222);

      heater.step(10, true);

      expect(heater.temperature).toBeCloseTo(AMBIENT_CELSIUS + 200 * (1 - Math.exp(-1)), 6);
      expect(heater.power).toBe(1);
    });

    it('cools toward ambient when disabled', () => {
      const heater = new Heater(config, noNoise, 222);
      heater.setTarget(222);

      heater.step(40, false);

      expect(heater.temperature).toBeCloseTo(AMBIENT_CELSIUS + 200 * Math.exp(-1), 6);
      expect(heater.power).toBe(0);
    });

    it('counts as at target within two degrees', () => {
      const heater = new Heater(config, noNoise);
      heater.setTarget(200);

      heater.step(20, true);
      const early = heater.isAtTarget;
      heater.step(60, true);

      expect(early).toBe(false);
      expect(heater.isAtTarget).toBe(true);
    });

    it('adds noise of at most the configured amplitude', () => {
      const high = new Heater({ ...config, noise: 0.1 }, () => 1);
      const low = new Heater({ ...config, noise: 0.1 }, () => 0);

      high.step(1, true);
      low.step(1, true);

      expect(high.temperature).toBeCloseTo(AMBIENT_CELSIUS + 0.1, 9);
      expect(low.temperature).toBeCloseTo(AMBIENT_CELSIUS - 0.1, 9);
    });
  });

  describe('setTarget', () => {
    it('rejects a target above the maximum', () => {
      const heater = new Heater(config, noNoise);

      expect(() => heater.setTarget(301)).toThrow(
        'Requested temperature (301.0) out of range (0.0:300.0)',
      );
    });
  });
});

describe('seededRandom', () => {
  it('repeats its sequence for the same seed', () => {
    const first = seededRandom(42);
    const second = seededRandom(42);

    const values = [first(), first(), first()];

    expect([second(), second(), second()]).toEqual(values);
    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
  });
});
