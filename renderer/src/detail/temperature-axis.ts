/** Range of the temperature axis in °C while no sensor has a reading. */
const EMPTY_RANGE: [number, number] = [0, 50];

/** Minimum space in °C between the data and the top or bottom of the plot. */
const MIN_PADDING = 2;

/**
 * Returns the range of the temperature axis for readings from `min` to `max` °C. It adds 10 % of
 * the span, at least 2 °C, above and below the data. Then it widens the range to multiples of
 * 5 °C, or 10 °C for a span over 50 °C, so the top and bottom fall on round values where uPlot
 * usually draws gridlines. uPlot passes null or a non-finite value when there is no data.
 */
export function temperatureRange(min: number | null, max: number | null): [number, number] {
  if (min === null || max === null || !Number.isFinite(min) || !Number.isFinite(max)) {
    return [...EMPTY_RANGE];
  }
  const padding = Math.max(MIN_PADDING, (max - min) * 0.1);
  const step = max - min + 2 * padding > 50 ? 10 : 5;
  return [Math.floor((min - padding) / step) * step, Math.ceil((max + padding) / step) * step];
}
