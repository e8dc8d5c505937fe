import { HISTORY_WINDOW_MS } from '../support/temperature-history.js';

/**
 * Tick steps of the chart's time axis in seconds: whole minutes only, so a ten-minute window
 * never gets second or sub-second ticks. uPlot takes the smallest step whose ticks keep the
 * axis's `space` apart.
 */
export const TIME_AXIS_INCREMENTS: readonly number[] = [60, 120, 300, 600, 900, 1800, 3600];

/** The chart's time span in seconds. */
const WINDOW_SECONDS = HISTORY_WINDOW_MS / 1000;

/**
 * Returns the ten minutes up to `endSeconds`, the current time, so that the axis moves on while
 * a printer that is not connected sends nothing and its lines stop.
 */
export function timeWindow(endSeconds: number): [number, number] {
  return [endSeconds - WINDOW_SECONDS, endSeconds];
}

/**
 * Formats tick times (epoch seconds) as 24-hour hours and minutes in the UI's language, the
 * clock that every other time of the UI uses (`formatClock`).
 */
export function timeAxisFormatter(locale: string): (epochSeconds: number) => string {
  const format = new Intl.DateTimeFormat(locale, {
    hourCycle: 'h23',
    hour: '2-digit',
    minute: '2-digit',
  });
  return (epochSeconds) => format.format(new Date(epochSeconds * 1000));
}

/**
 * Returns the minimum distance between two ticks in CSS pixels, from the width of the widest
 * label. Seven pixels a character is an estimate for the 14 px UI font.
 */
export function timeAxisSpace(format: (epochSeconds: number) => string): number {
  const widest = format(new Date(2020, 0, 1, 12, 55).getTime() / 1000);
  return Math.max(50, widest.length * 7 + 20);
}

/**
 * Returns the padding right of the plot in CSS pixels, so that the label of a tick at the end
 * of the window, which uPlot centres on the tick, is not cut off. It uses the same estimate of
 * seven pixels a character as `timeAxisSpace`.
 */
export function timeAxisEndPadding(format: (epochSeconds: number) => string): number {
  const widest = format(new Date(2020, 0, 1, 12, 55).getTime() / 1000);
  return Math.ceil((widest.length * 7) / 2) + 4;
}
