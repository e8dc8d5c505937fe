import type { RendererLogLine } from '../../shared/control-api/methods.js';
import { LogRateLimiter, type Logger } from '../support/logger.js';
import { createRedactor } from './settings/secret-redaction.js';

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

/**
 * Writes the UI's own log lines (from `log.write` and the desktop log channel) to the service's
 * log. Each level has its own rate window, so a flood of warnings cannot hide an error, and the
 * number of dropped lines is reported with the next line that passes. The message is already
 * capped at `RENDERER_LOG_MAX_CHARS` by the schema.
 */
export class RendererLog {
  private readonly limiter: LogRateLimiter;

  /**
   * `secrets` returns the values to remove from every line, such as the control token and the
   * pending click-to-link states. Each is removed as it is and URL-encoded.
   */
  constructor(
    private readonly logger: Logger,
    monotonic: () => number,
    limits: RendererLogLimits = DEFAULT_RENDERER_LOG_LIMITS,
    private readonly secrets: () => readonly string[] = () => [],
  ) {
    this.limiter = new LogRateLimiter(limits.windowMs, limits.linesPerWindow, monotonic);
  }

  /** Returns whether the line was written, which is false when the rate limit dropped it. */
  write(line: RendererLogLine): boolean {
    const dropped = this.limiter.admit(line.level);
    if (dropped === null) return false;
    // The redactor also removes `token=` values (after ?, # or alone), Bearer credentials and
    // the code and state of owl://link addresses.
    const message = createRedactor(this.secrets()).text(line.message);
    const fields = dropped > 0 ? { suppressed: dropped } : {};
    this.logger[line.level](fields, message);
    return true;
  }
}
