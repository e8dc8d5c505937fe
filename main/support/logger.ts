import pino from 'pino';

export type Logger = pino.Logger;
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

/** Field names whose values never reach a log line, at any depth pino can address. */
const SECRET_KEYS = [
  'password',
  'accessToken',
  'token',
  'devicePrivateKey',
  'privateKey',
  'apiKey',
  'api_key',
  'authorization',
  'linkCode',
];

export const REDACT_PATHS = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

export interface LoggerOptions {
  level?: LogLevel;
  /** Human-readable lines (pino-pretty) instead of JSON; defaults to whether stderr is a TTY. */
  pretty?: boolean;
  destination?: pino.DestinationStream;
}

/** Creates the root logger; components take `logger.child({ component: 'name' })`. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  const base = { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
  if (options.destination) return pino(base, options.destination);

  const pretty = options.pretty ?? writesReadableLines(process.stderr);
  if (!pretty) return pino(base, pino.destination(2));
  return pino({
    ...base,
    transport: { target: 'pino-pretty', options: READABLE_LINE_OPTIONS },
  });
}

/** Options of pino-pretty for readable log lines on stderr. */
export const READABLE_LINE_OPTIONS = {
  destination: 2,
  colorize: true,
  ignore: 'pid,hostname',
  translateTime: 'HH:MM:ss',
} as const;

/**
 * Tells whether logs written to `stream` should be readable lines rather than JSON: true only
 * on a terminal, because a service manager or a pipe expects one JSON object a line.
 */
export function writesReadableLines(stream: { isTTY?: boolean }): boolean {
  return stream.isTTY === true;
}

/** A logger that discards everything, for tests and library defaults. */
export const silentLogger: Logger = pino({ level: 'silent' });

/**
 * Lets the first `burst` repeats of a key through per window and counts the rest, so a printer that
 * stays switched off produces a few lines a minute instead of a storm. The count of suppressed lines
 * is reported with the next line that gets through.
 */
export class LogRateLimiter {
  private readonly windows = new Map<
    string,
    { startedAt: number; seen: number; dropped: number }
  >();

  constructor(
    private readonly windowMs: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Returns null when the line should be dropped, else the number of lines dropped before it. */
  admit(key: string): number | null {
    const time = this.now();
    let window = this.windows.get(key);
    if (!window || time - window.startedAt >= this.windowMs) {
      const dropped = window?.dropped ?? 0;
      window = { startedAt: time, seen: 0, dropped: 0 };
      this.windows.set(key, window);
      window.seen += 1;
      return dropped;
    }
    window.seen += 1;
    if (window.seen <= this.burst) return 0;
    window.dropped += 1;
    return null;
  }
}
