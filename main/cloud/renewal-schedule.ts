/**
 * When to renew a device token, and how long to wait after a failed renewal. All values are in
 * seconds and are measured on the local monotonic clock.
 */

export const RENEWAL_RATIO = 0.85;
export const RENEWAL_SAFETY_BUFFER_SECONDS = 120;
export const MIN_RENEWAL_DELAY_SECONDS = 60;

/** A token this close to expiry is re-issued before use. */
export const NEAR_EXPIRY_SECONDS = 120;

export const RETRY_INITIAL_SECONDS = 30;
export const RETRY_MAX_SECONDS = 3600;
/** Cap on the retry delay while the held token expires within `RETRY_URGENT_WINDOW_SECONDS`. */
export const RETRY_URGENT_SECONDS = 30;
export const RETRY_URGENT_WINDOW_SECONDS = 600;
/** Retry delay once the held token has expired, and the floor of every retry delay. */
export const RETRY_EXPIRED_SECONDS = 15;

/**
 * Returns the delay from the receipt of a token to its renewal: 85 % of the lifetime minus a
 * 120 s buffer, at least 60 s. A 1 h token renews after 2940 s, a 30 min one after 1410 s.
 */
export function renewalDelaySeconds(lifetimeSeconds: number): number {
  const planned = Math.floor(lifetimeSeconds * RENEWAL_RATIO - RENEWAL_SAFETY_BUFFER_SECONDS);
  return Math.max(MIN_RENEWAL_DELAY_SECONDS, planned);
}

/**
 * Returns the delay before the next attempt after `failures` consecutive failed renewals
 * (1 for the first). It doubles from 30 s up to 3600 s, is at most 30 s while the held token
 * expires within 10 min, and is 15 s once it has expired. `secondsUntilExpiry` is null when no
 * token is held, and then only the doubling applies.
 */
export function renewalRetryDelaySeconds(
  failures: number,
  secondsUntilExpiry: number | null,
): number {
  const exponent = Math.max(0, failures - 1);
  const doubled = Math.min(RETRY_MAX_SECONDS, RETRY_INITIAL_SECONDS * 2 ** exponent);
  if (secondsUntilExpiry === null) return Math.max(RETRY_EXPIRED_SECONDS, doubled);
  if (secondsUntilExpiry <= 0) return RETRY_EXPIRED_SECONDS;

  const capped = secondsUntilExpiry <= RETRY_URGENT_WINDOW_SECONDS ? RETRY_URGENT_SECONDS : doubled;
  return Math.max(RETRY_EXPIRED_SECONDS, Math.min(doubled, capped));
}
