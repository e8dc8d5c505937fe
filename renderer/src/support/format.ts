/** Formats seconds as `1h 05m`, `12m 30s` or `45s`. */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.round(totalSeconds));
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  if (hours > 0) return `${hours}h ${pad(minutes)}m`;
  if (minutes > 0) return `${minutes}m ${pad(rest)}s`;
  return `${rest}s`;
}

/** Formats a temperature with its target, such as `210° / 215°`, or `–` without a reading. */
export function formatTemperature(value: number | null | undefined, target?: number): string {
  if (value === null || value === undefined) return '–';
  const current = `${Math.round(value)}°`;
  return target ? `${current} / ${Math.round(target)}°` : current;
}

/** Formats epoch milliseconds as a local wall-clock time. */
export function formatTime(epochMs: number, locale: string): string {
  return new Date(epochMs).toLocaleTimeString(locale, { hour12: false });
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
