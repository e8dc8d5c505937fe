import { HISTORY_WINDOW_MS } from '../support/temperature-history.js';

/**
 * Tick steps of the chart's time axis in seconds: whole minutes only, so a ten-minute window
 * never gets second or sub-second ticks. uPlot takes the smallest step whose ticks keep the
 * axis's `space` apart.
 */
export const TIME_AXIS_INCREMENTS: readonly number[] = [60, 120, 300, 600, 900, 1800, 3600];

/** The chart's time span in seconds. */
const WINDOW_SECONDS = HISTORY_WINDOW_MS / 1000;

/** Returns the ten minutes up to the newest sample, so the axis stays put as samples arrive. */
export function timeWindow(newestSeconds: number): [number, number] {
  return [newestSeconds - WINDOW_SECONDS, newestSeconds];
}

/**
 * Picks the locale for times: the browser's first locale of the UI's language, so that English
 * in the United Kingdom gets `15:05` and in the United States `3:05 PM`. Without one, the UI
 * language's own default applies.
 */
export function chartLocale(language: string, browserLocales: readonly string[]): string {
  const base = language.split('-')[0]?.toLowerCase() ?? language;
  const match = browserLocales.find((locale) => locale.split('-')[0]?.toLowerCase() === base);
  return match ?? language;
}

/** Formats tick times (epoch seconds) as hours and minutes, 12 h or 24 h as the locale has it. */
export function timeAxisFormatter(locale: string): (epochSeconds: number) => string {
  const format = new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit' });
  return (epochSeconds) => format.format(new Date(epochSeconds * 1000));
}

/**
 * Returns the minimum distance between two ticks in CSS pixels, because a 12 h label such as
 * `12:55 PM` needs more room than `12:55`. Seven pixels a character is an estimate for the 14 px
 * UI font.
 */
export function timeAxisSpace(format: (epochSeconds: number) => string): number {
  const widest = format(new Date(2020, 0, 1, 12, 55).getTime() / 1000);
  return Math.max(50, widest.length * 7 + 20);
}
