/**
 * Timestamp formats of the contract. Almost every field is "ISO seconds": a UTC instant without
 * fractional seconds and with the offset written `+00:00`. Business events carry `occurredAt` with
 * microseconds and a `Z` suffix instead.
 */

export function isoSeconds(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/** Formats with microsecond digits; JavaScript clocks give milliseconds, so the last three are 0. */
export function isoMicros(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/**
 * Parses an ISO-8601 timestamp from the cloud. A value without an offset is taken as UTC. Returns
 * epoch milliseconds, or null when the text is not a timestamp.
 */
export function parseCloudTimestamp(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(trimmed)) return null;

  const hasOffset = /(Z|[+-]\d{2}:?\d{2})$/i.test(trimmed);
  const value = Date.parse(hasOffset ? trimmed : `${trimmed}Z`);
  return Number.isNaN(value) ? null : value;
}
