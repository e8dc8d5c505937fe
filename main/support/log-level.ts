import type { Logger, LogLevel } from './logger.js';

/** Levels a person may choose, from the most to the least verbose, as in the app settings. */
export const SETTABLE_LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;
export type SettableLogLevel = (typeof SETTABLE_LOG_LEVELS)[number];

export function isSettableLogLevel(value: unknown): value is SettableLogLevel {
  return typeof value === 'string' && (SETTABLE_LOG_LEVELS as readonly string[]).includes(value);
}

/**
 * Keeps a root logger at the level of the settings, unless the command line set one: a
 * `--log-level` option overrides the stored setting for the whole run, so a person debugging a
 * problem does not have to change the settings. Child loggers follow the root's level as long as
 * they never set their own. The logger's destinations must accept every level (a multistream with
 * `trace` streams), because only the root's level filters.
 */
export class LogLevelControl {
  constructor(
    private readonly logger: Logger,
    private readonly override?: SettableLogLevel,
  ) {}

  /** Returns the level the logger uses for `stored`: the override when there is one. */
  effectiveLevel(stored: SettableLogLevel): SettableLogLevel {
    return this.override ?? stored;
  }

  /** Applies the stored level; returns whether the logger's level changed. */
  apply(stored: SettableLogLevel): boolean {
    const level = this.effectiveLevel(stored);
    const before = this.logger.level as LogLevel;
    if (before === level) return false;

    this.logger.level = level;
    const override = this.override ? { override: this.override } : {};
    this.logger.info({ from: before, to: level, ...override }, `Log level set to ${level}`);
    return true;
  }
}
