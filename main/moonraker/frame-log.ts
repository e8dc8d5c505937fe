import type { Clock } from '../support/clock.js';
import { LogRateLimiter, type Logger } from '../support/logger.js';

const EXCERPT_LENGTH = 120;
const WINDOW_MS = 60_000;
const BURST = 5;

/**
 * Returns the start of a frame for a log line: at most 120 characters, with every occurrence of
 * the API key replaced, so a frame that echoes request headers does not leak it.
 */
export function frameExcerpt(text: string, secret?: string): string {
  const redacted = secret ? text.split(secret).join('[redacted]') : text;
  if (redacted.length <= EXCERPT_LENGTH) return redacted;
  return `${redacted.slice(0, EXCERPT_LENGTH)}… (${redacted.length} characters)`;
}

/**
 * Logs frames that were skipped because they are malformed: at most five lines a minute per
 * reason, and the next line that gets through states how many were suppressed.
 */
export class SkippedFrameLog {
  private readonly limiter: LogRateLimiter;

  constructor(
    private readonly logger: Logger,
    clock: Clock,
    private readonly secret?: string,
  ) {
    this.limiter = new LogRateLimiter(WINDOW_MS, BURST, () => clock.now());
  }

  report(reason: string, text: string): void {
    const suppressed = this.limiter.admit(reason);
    if (suppressed === null) return;
    this.logger.warn(
      { reason, excerpt: frameExcerpt(text, this.secret), suppressed },
      'Skipped a malformed Moonraker websocket frame',
    );
  }
}
