import { gcodeError } from '../api-error.js';
import { noise } from './seeded-random.js';

/** Room temperature that heaters cool down to, in °C. */
export const AMBIENT_CELSIUS = 22;

export interface HeaterConfig {
  /** Time constant of the approach to the target while heating, in seconds. */
  readonly heatTauSeconds: number;
  /** Time constant of the approach to ambient once the heater is off, in seconds. */
  readonly coolTauSeconds: number;
  readonly minTemp: number;
  readonly maxTemp: number;
  /** Amplitude of the measurement noise, in °C. */
  readonly noise: number;
}

/** Distance from the target at which a heater counts as reached, like a temperature wait. */
const REACHED_WITHIN_CELSIUS = 2;

/**
 * A heater whose temperature follows a first-order lag toward its target (or toward ambient when
 * it is off or disabled), with a little measurement noise on top.
 */
export class Heater {
  temperature: number;
  target = 0;
  power = 0;

  constructor(
    private readonly config: HeaterConfig,
    private readonly random: () => number,
    initialTemperature = AMBIENT_CELSIUS,
  ) {
    this.temperature = initialTemperature;
  }

  /** Sets the target, rejecting values outside the configured range as Klipper does. */
  setTarget(degrees: number): void {
    const { minTemp, maxTemp } = this.config;
    if (degrees !== 0 && (degrees < minTemp || degrees > maxTemp)) {
      throw gcodeError(
        `Requested temperature (${degrees.toFixed(1)}) out of range (${minTemp.toFixed(1)}:${maxTemp.toFixed(1)})`,
      );
    }
    this.target = degrees;
  }

  get isAtTarget(): boolean {
    return this.target <= 0 || Math.abs(this.temperature - this.target) <= REACHED_WITHIN_CELSIUS;
  }

  /** Advances `dtSeconds`; a disabled heater (Klippy not ready) gets no power. */
  step(dtSeconds: number, enabled: boolean): void {
    const driving = enabled && this.target > 0;
    const goal = driving ? this.target : AMBIENT_CELSIUS;
    const tau = goal > this.temperature ? this.config.heatTauSeconds : this.config.coolTauSeconds;
    this.temperature += (goal - this.temperature) * (1 - Math.exp(-dtSeconds / tau));
    this.temperature += noise(this.random, this.config.noise);
    this.power = driving ? clamp(0.25 + (this.target - this.temperature) / 20, 0, 1) : 0;
  }

  status(): Record<string, unknown> {
    return {
      temperature: round(this.temperature, 2),
      target: this.target,
      power: round(this.power, 3),
    };
  }
}

/** A temperature sensor that drifts toward a temperature it is given, such as a chamber. */
export class TemperatureSensor {
  temperature: number;
  private measuredMin: number;
  private measuredMax: number;

  constructor(
    private readonly tauSeconds: number,
    private readonly noiseAmplitude: number,
    private readonly random: () => number,
    initialTemperature = AMBIENT_CELSIUS,
  ) {
    this.temperature = initialTemperature;
    this.measuredMin = initialTemperature;
    this.measuredMax = initialTemperature;
  }

  step(dtSeconds: number, towards: number): void {
    this.temperature += (towards - this.temperature) * (1 - Math.exp(-dtSeconds / this.tauSeconds));
    this.temperature += noise(this.random, this.noiseAmplitude);
    this.measuredMin = Math.min(this.measuredMin, this.temperature);
    this.measuredMax = Math.max(this.measuredMax, this.temperature);
  }

  status(): Record<string, unknown> {
    return {
      temperature: round(this.temperature, 2),
      measured_min_temp: round(this.measuredMin, 2),
      measured_max_temp: round(this.measuredMax, 2),
    };
  }
}

export function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
