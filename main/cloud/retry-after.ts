/** Maximum delay taken from a `Retry-After` header. A longer delay is cut to this. */
export const MAX_RETRY_AFTER_MS = 5 * 60_000;

/** Share by which jitter may lengthen a delay that a server requested. */
export const RETRY_AFTER_JITTER_RATIO = 0.2;

/**
 * Converts an HTTP `Retry-After` value, either delay-seconds or an HTTP-date, to milliseconds
 * from 0 to `MAX_RETRY_AFTER_MS`. Returns undefined when the value is missing or invalid. A date
 * is measured from the response's `Date` header when that is valid, so that a wrong local clock
 * does not change the delay, and from `localNowMs` otherwise.
 */
export function parseRetryAfter(
  value: string | undefined,
  localNowMs: number,
  responseDate?: string,
): number | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  if (/^\d+$/.test(trimmed)) return capDelay(Number(trimmed) * 1000);

  // Only a value with letters can be an HTTP-date, because Date.parse reads "-1" as a year.
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const retryAtMs = Date.parse(trimmed);
  if (Number.isNaN(retryAtMs)) return undefined;
  return capDelay(retryAtMs - referenceTimeMs(responseDate, localNowMs));
}

/**
 * Lengthens a server-requested delay by up to `RETRY_AFTER_JITTER_RATIO` of it, and never
 * shortens it, so that devices that received the same delay do not all retry in step. `random` is
 * uniform in [0, 1).
 */
export function jitterAbove(delayMs: number, random: () => number): number {
  return delayMs * (1 + RETRY_AFTER_JITTER_RATIO * random());
}

function referenceTimeMs(responseDate: string | undefined, localNowMs: number): number {
  const serverNowMs = responseDate === undefined ? Number.NaN : Date.parse(responseDate);
  return Number.isNaN(serverNowMs) ? localNowMs : serverNowMs;
}

function capDelay(delayMs: number): number {
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, delayMs));
}
