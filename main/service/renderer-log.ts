import type { RendererLogLine } from '../../shared/control-api/methods.js';
import { LogRateLimiter, type Logger } from '../support/logger.js';

export interface RendererLogLimits {
  /** Length of one rate window in milliseconds. */
  windowMs: number;
  /** Lines of one level that pass per window. The rest are counted and dropped. */
  linesPerWindow: number;
}

/** 30 lines a minute per level: enough for a real failure, too few to fill a 5 MB log file. */
export const DEFAULT_RENDERER_LOG_LIMITS: RendererLogLimits = {
  windowMs: 60_000,
  linesPerWindow: 30,
};

/** A control token in a page address such as `/?token=…`, which an error message may quote. */
const TOKEN_IN_URL = /([?&]token=)[^&#\s"']+/gi;

/**
 * Writes the UI's own log lines (from `log.write` and the desktop log channel) to the service's
 * log. Each level has its own rate window, so a flood of warnings cannot hide an error, and the
 * number of dropped lines is reported with the next line that passes. The message is already
 * capped at `RENDERER_LOG_MAX_CHARS` by the schema.
 */
export class RendererLog {
  private readonly limiter: LogRateLimiter;

  constructor(
    private readonly logger: Logger,
    monotonic: () => number,
    limits: RendererLogLimits = DEFAULT_RENDERER_LOG_LIMITS,
  ) {
    this.limiter = new LogRateLimiter(limits.windowMs, limits.linesPerWindow, monotonic);
  }

  /** Returns whether the line was written, which is false when the rate limit dropped it. */
  write(line: RendererLogLine): boolean {
    const dropped = this.limiter.admit(line.level);
    if (dropped === null) return false;
    const message = line.message.replace(TOKEN_IN_URL, '$1[redacted]');
    const fields = dropped > 0 ? { suppressed: dropped } : {};
    this.logger[line.level](fields, message);
    return true;
  }
}
