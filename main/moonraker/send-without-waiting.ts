import type { Clock } from '../support/clock.js';
import type { Logger } from '../support/logger.js';

/** How long the caller waits for a reply before treating the request as sent. */
export const SEND_WINDOW_MS = 5_000;

/**
 * Starts `request` and settles within `SEND_WINDOW_MS`: with the reply if one arrives in time,
 * else successfully, while the request goes on in the background and a later failure is only
 * logged. Klipper replies to `/printer/gcode/script` only after the script has run, and the HTTP
 * transport does not report when the request body left the socket, so the window replaces the
 * missing "sent" signal.
 *
 * NOTE: a host that silently drops packets looks the same as a slow script here, so such a
 * failure surfaces in the log, not to the caller.
 */
export function sendWithoutWaiting(
  request: () => Promise<unknown>,
  clock: Clock,
  logger: Logger,
  label: string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const timer = clock.setTimeout(() => {
      settled = true;
      resolve();
    }, SEND_WINDOW_MS);
    request().then(
      () => {
        clock.clearTimeout(timer);
        if (!settled) resolve();
        settled = true;
      },
      (error: unknown) => {
        clock.clearTimeout(timer);
        if (settled) logger.warn({ err: error, request: label }, 'Background request failed');
        else reject(error);
        settled = true;
      },
    );
  });
}
