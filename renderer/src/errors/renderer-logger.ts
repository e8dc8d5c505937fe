import {
  RENDERER_LOG_MAX_CHARS,
  type RendererLogLine,
} from '../../../shared/control-api/methods.js';
import type { OwlBridge } from '../transport/owl-bridge.js';
import type { ControlTransport } from '../transport/control-transport.js';

export type RendererLogLevel = RendererLogLine['level'];

/** Destination of forwarded lines: the desktop log channel or the control API's `log.write`. */
export type LogSink = (line: RendererLogLine) => void;

/** The console methods that the logger prints with. */
export type LogConsole = Pick<Console, 'debug' | 'info' | 'warn' | 'error'>;

export interface RendererLoggerOptions {
  sink: LogSink;
  /**
   * Prints each line. By default the console methods as they are when the logger is created,
   * so that wrapping the console later does not forward the logger's own lines twice.
   */
  output?: LogConsole;
  /** Milliseconds on a monotonic clock, for the rate limit. */
  now?: () => number;
  /**
   * Lines forwarded per minute; later lines of that minute reach only the console. The service
   * has its own limit, and this one spares the socket or IPC from a render loop.
   */
  linesPerMinute?: number;
}

const WINDOW_MS = 60_000;
const DEFAULT_LINES_PER_MINUTE = 20;

/**
 * The UI's logger: prints a line to the console and forwards it to the service's log, where
 * the desktop app's log file and the diagnostics bundle keep it.
 */
export class RendererLogger {
  private windowStart = Number.NEGATIVE_INFINITY;
  private forwardedInWindow = 0;
  private droppedInWindow = 0;
  private readonly output: LogConsole;
  private readonly now: () => number;
  private readonly linesPerMinute: number;

  constructor(private readonly options: RendererLoggerOptions) {
    this.output = options.output ?? {
      debug: console.debug.bind(console),
      info: console.info.bind(console),
      warn: console.warn.bind(console),
      error: console.error.bind(console),
    };
    this.now = options.now ?? (() => performance.now());
    this.linesPerMinute = options.linesPerMinute ?? DEFAULT_LINES_PER_MINUTE;
  }

  error(message: string, cause?: unknown): void {
    this.print('error', message, cause);
    this.forward('error', message, cause);
  }

  warn(message: string, cause?: unknown): void {
    this.print('warn', message, cause);
    this.forward('warn', message, cause);
  }

  /** Forwards a line without printing it, for what the browser has printed already. */
  forward(level: RendererLogLevel, message: string, cause?: unknown): void {
    if (!this.admit()) return;
    const dropped = this.takeDropped();
    const suffix = dropped > 0 ? ` (${dropped} earlier lines were not forwarded)` : '';
    try {
      this.options.sink({ level, message: formatLogMessage(`${message}${suffix}`, cause) });
    } catch {
      // A failing sink must not throw into the code that logs, nor log about itself in a loop.
    }
  }

  private print(level: RendererLogLevel, message: string, cause: unknown): void {
    if (cause === undefined) this.output[level](message);
    else this.output[level](message, cause);
  }

  private admit(): boolean {
    const time = this.now();
    if (time - this.windowStart >= WINDOW_MS) {
      this.windowStart = time;
      this.forwardedInWindow = 0;
    }
    if (this.forwardedInWindow >= this.linesPerMinute) {
      this.droppedInWindow += 1;
      return false;
    }
    this.forwardedInWindow += 1;
    return true;
  }

  private takeDropped(): number {
    const dropped = this.droppedInWindow;
    this.droppedInWindow = 0;
    return dropped;
  }
}

/**
 * Joins a message and its cause (an error's stack, else its text) into one line of at most
 * `RENDERER_LOG_MAX_CHARS` characters, the limit of `log.write`.
 */
export function formatLogMessage(message: string, cause?: unknown): string {
  const detail = cause === undefined ? '' : describeValue(cause);
  const text = detail && !message.includes(detail) ? `${message}: ${detail}` : message;
  const nonEmpty = text.trim() === '' ? '(empty log message)' : text;
  if (nonEmpty.length <= RENDERER_LOG_MAX_CHARS) return nonEmpty;
  return `${nonEmpty.slice(0, RENDERER_LOG_MAX_CHARS - 1)}…`;
}

/** Describes a logged value: an error by its stack (which starts with its message), else its text. */
export function describeValue(value: unknown): string {
  if (value instanceof Error) {
    const stack = value.stack ?? '';
    return stack.includes(value.message) ? stack : `${value.name}: ${value.message}\n${stack}`;
  }
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Sends lines over the preload's log channel to the desktop app's log file. */
export function bridgeLogSink(bridge: OwlBridge): LogSink {
  return (line) => bridge.log(line.level, line.message);
}

/** Lines kept while the control socket is not open, oldest dropped first. */
const QUEUED_LINES = 20;

/**
 * Sends lines to the headless service with `log.write`. Lines written while the socket is not
 * open wait in a short queue and go out once it opens, so errors during start-up are kept.
 * A failed `log.write` is dropped silently, because logging it would forward it again.
 */
export function controlApiLogSink(transport: ControlTransport): LogSink {
  const queue: RendererLogLine[] = [];
  const send = (line: RendererLogLine): void => {
    transport.call('log.write', line).catch(() => undefined);
  };
  transport.onStateChange((state) => {
    if (state !== 'open') return;
    for (const line of queue.splice(0)) send(line);
  });
  return (line) => {
    if (transport.state === 'open') {
      send(line);
      return;
    }
    queue.push(line);
    if (queue.length > QUEUED_LINES) queue.shift();
  };
}
