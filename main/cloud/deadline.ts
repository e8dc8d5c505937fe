import type { Clock } from '../support/clock.js';
import { CodedError } from '../support/coded-error.js';

/**
 * Settles like `work`, or rejects with `timed_out` after `timeoutMs` on `clock`. The work itself
 * is not cancelled, so callers clean it up when the deadline wins.
 */
export function withDeadline<T>(
  work: Promise<T>,
  clock: Clock,
  timeoutMs: number,
  operation: string,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = clock.setTimeout(() => {
      reject(new CodedError('timed_out', `${operation} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    work.then(
      (value) => {
        clock.clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clock.clearTimeout(timer);
        reject(error);
      },
    );
  });
}
