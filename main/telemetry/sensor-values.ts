/**
 * Number handling for sensor readings. Klipper reports temperatures in degrees Celsius and fan
 * speeds, pin values and LED channels as fractions from 0.0 to 1.0.
 */

/** Returns the value when it is a finite number, else undefined (Klipper sends `null` at start). */
export function finiteNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * Rounds to the nearest integer, and a tie to the even neighbour (50.5 → 50, 51.5 → 52), as
 * Python's `round()` does. The tie test works on the exact double, so 0.285 × 100 = 28.499999…
 * rounds down like it does in Python.
 */
export function roundHalfEven(value: number): number {
  const lower = Math.floor(value);
  const fraction = value - lower;
  if (fraction > 0.5) return lower + 1;
  if (fraction < 0.5) return lower;
  return lower % 2 === 0 ? lower : lower + 1;
}

/** Floors a temperature to whole degrees (204.93 → 204). An unknown value stays null. */
export function floorTemperature(value: unknown): number | null {
  const number = finiteNumber(value);
  return number === undefined ? null : Math.floor(number);
}

/** Converts a 0.0-1.0 fraction to a whole percent, rounded half-to-even, or null if unknown. */
export function fractionToPercent(value: unknown): number | null {
  const number = finiteNumber(value);
  return number === undefined ? null : roundHalfEven(number * 100);
}

/**
 * Returns the brightness of an LED chain in percent, from Klipper's `color_data` with one
 * `[r, g, b, w]` list per LED. When any LED has its white channel lit, the result is the average
 * white channel over the chain. Otherwise it is the largest red, green or blue value of any LED.
 * Returns null when the data is missing or empty.
 */
export function ledBrightnessPercent(colorData: unknown): number | null {
  const leds = readColorLists(colorData);
  if (leds.length === 0) return null;

  const whites = leds.map((channels) => channels[3] ?? 0);
  if (whites.some((white) => white > 0)) {
    const average = whites.reduce((sum, white) => sum + white, 0) / whites.length;
    return roundHalfEven(average * 100);
  }
  const brightest = Math.max(...leds.map((channels) => Math.max(0, ...channels.slice(0, 3))));
  return roundHalfEven(brightest * 100);
}

function readColorLists(colorData: unknown): number[][] {
  if (!Array.isArray(colorData)) return [];
  return colorData
    .filter((entry): entry is unknown[] => Array.isArray(entry))
    .map((entry) => entry.map((channel) => finiteNumber(channel) ?? 0));
}

/** Converts a boolean flag to 1 or 0 as the sensors channel reports switches, or null if unknown. */
export function flagValue(value: unknown): number | null {
  return typeof value === 'boolean' ? Number(value) : null;
}

/**
 * Returns true while a heater is warming up, meaning its target is above 40 °C and it is at least
 * 5 °C below the target. The status channel computes `lifecycle.isHeating` with it as well.
 */
export function isHeaterHeating(
  temperature: number | undefined,
  target: number | undefined,
): boolean {
  if (temperature === undefined || target === undefined) return false;
  return target > 40 && target - temperature >= 5;
}
