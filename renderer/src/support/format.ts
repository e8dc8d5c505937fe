import type { Translate } from '../i18n/i18n-context.js';

/** Formats seconds as `1h 05m`, `12m 30s` or `45s`, with the units of the UI's language. */
export function formatDuration(t: Translate, totalSeconds: number): string {
  const seconds = Math.max(0, Math.round(totalSeconds));
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  if (hours > 0) return t('duration.hoursMinutes', { hours, minutes: pad(minutes) });
  if (minutes > 0) return t('duration.minutesSeconds', { minutes, seconds: pad(rest) });
  return t('duration.seconds', { seconds: rest });
}

/** Formats a temperature with its target, such as `210° / 215°`, or `–` without a reading. */
export function formatTemperature(value: number | null | undefined, target?: number): string {
  if (value === null || value === undefined) return '–';
  const current = `${Math.round(value)}°`;
  return target ? `${current} / ${Math.round(target)}°` : current;
}

/**
 * Formats epoch milliseconds as a local 24-hour wall-clock time with seconds. The `h23` hour
 * cycle gives `00:05` after midnight, where `hour12: false` gives `24:05` in English.
 */
export function formatTime(epochMs: number, locale: string): string {
  return new Date(epochMs).toLocaleTimeString(locale, { hourCycle: 'h23' });
}

/**
 * Formats epoch milliseconds as a local 24-hour time in hours and minutes, such as `22:05`, the
 * same clock as `formatTime` without the seconds.
 */
export function formatClock(epochMs: number, locale: string): string {
  return new Date(epochMs).toLocaleTimeString(locale, {
    hourCycle: 'h23',
    hour: '2-digit',
    minute: '2-digit',
  });
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
