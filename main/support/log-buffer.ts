import { Writable } from 'node:stream';

import pino from 'pino';
import pinoPretty from 'pino-pretty';

import {
  READABLE_LINE_OPTIONS,
  REDACT_PATHS,
  writesReadableLines,
  type Logger,
  type LogLevel,
} from './logger.js';

/** One log line as local views and the diagnostics bundle show it. */
export interface BufferedLogLine {
  at: number;
  level: string;
  message: string;
  /** The printer's name, as the line was logged. */
  printer?: string;
  /** The local id of the printer, from the `localPrinterId` binding. */
  printerId?: string;
  /** The JSON line as pino wrote it, with secrets already redacted. */
  raw: string;
}

const LEVEL_NAMES: Readonly<Record<number, string>> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};

/**
 * Keeps the most recent log lines in memory and passes each to its listeners, so the UI can show
 * logs and the diagnostics bundle can include them.
 */
export class LogBuffer {
  private readonly lines: BufferedLogLine[] = [];
  private readonly listeners = new Set<(line: BufferedLogLine) => void>();

  constructor(private readonly capacity = 2_000) {}

  /** Returns a writable stream for pino's JSON lines. */
  stream(): Writable {
    return new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        for (const text of chunk.toString('utf8').split('\n')) if (text) this.append(text);
        done();
      },
    });
  }

  recent(limit = this.capacity): BufferedLogLine[] {
    return this.lines.slice(-limit);
  }

  onLine(listener: (line: BufferedLogLine) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private append(raw: string): void {
    const line = parseLine(raw);
    this.lines.push(line);
    if (this.lines.length > this.capacity) this.lines.shift();
    for (const listener of this.listeners) listener(line);
  }
}

function parseLine(raw: string): BufferedLogLine {
  try {
    const record = JSON.parse(raw) as Record<string, unknown>;
    const printer = typeof record['printer'] === 'string' ? record['printer'] : undefined;
    const printerId =
      typeof record['localPrinterId'] === 'string' ? record['localPrinterId'] : undefined;
    return {
      at: typeof record['time'] === 'number' ? record['time'] : Date.now(),
      level: LEVEL_NAMES[record['level'] as number] ?? String(record['level']),
      message: typeof record['msg'] === 'string' ? record['msg'] : '',
      ...(printer ? { printer } : {}),
      ...(printerId ? { printerId } : {}),
      raw,
    };
  } catch {
    return { at: Date.now(), level: 'info', message: raw, raw };
  }
}

/**
 * Creates a logger that writes to stderr and into `buffer`. Stderr gets readable lines when
 * `pretty` is true (on a terminal by default) and JSON lines otherwise, and the buffer always
 * gets JSON. Only the logger's own level filters, so that changing `logger.level` later takes
 * effect on both streams.
 */
export function createBufferedLogger(
  level: LogLevel,
  buffer: LogBuffer,
  pretty = writesReadableLines(process.stderr),
): Logger {
  const stderr = pretty ? pinoPretty(READABLE_LINE_OPTIONS) : pino.destination(2);
  return pino(
    { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } },
    pino.multistream([
      { level: 'trace', stream: stderr },
      { level: 'trace', stream: buffer.stream() },
    ]),
  );
}
