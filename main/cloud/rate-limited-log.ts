import type { Clock } from '../support/clock.js';
import { LogRateLimiter, type Logger } from '../support/logger.js';

export const LOG_WINDOW_MS = 60_000;
export const LOG_BURST = 3;

/**
 * Logs a repeating line at most three times a minute per key, and reports how many were
 * suppressed with the next line that gets through.
 */
export class RateLimitedLog {
  private readonly limiter: LogRateLimiter;

  constructor(
    private readonly logger: Logger,
    clock: Clock,
  ) {
    this.limiter = new LogRateLimiter(LOG_WINDOW_MS, LOG_BURST, () => clock.monotonic());
  }

  write(
    key: string,
    level: 'info' | 'warn' | 'error',
    fields: Record<string, unknown>,
    message: string,
  ): void {
    const suppressed = this.limiter.admit(key);
    if (suppressed === null) return;
    this.logger[level]({ ...fields, ...(suppressed > 0 ? { suppressed } : {}) }, message);
  }
}
