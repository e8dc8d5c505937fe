import { Writable } from 'node:stream';

import pino from 'pino';

import type { Logger } from '../../support/logger.js';

export interface LogEntry {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** Test helper: a pino logger that keeps every line as parsed JSON. */
export function captureLogger(): { logger: Logger; entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() !== '') entries.push(JSON.parse(line) as LogEntry);
      }
      callback();
    },
  });
  return { logger: pino({ level: 'debug' }, destination), entries };
}

/** Resolves after pending stream writes of the logger reached `entries`. */
export function flushLogs(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
