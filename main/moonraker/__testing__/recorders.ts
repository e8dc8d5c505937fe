import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';

import pino from 'pino';

import type { Logger } from '../../support/logger.js';
import type { MoonrakerInput } from '../input.js';

export interface CapturedLog {
  logger: Logger;
  lines: Record<string, unknown>[];
  text(): string;
  /** Resolves with the next line written after the call whose `msg` is `message`. */
  next(message: string): Promise<Record<string, unknown>>;
}

/** Creates a debug-level logger whose lines are parsed into `lines` as they are written. */
export function captureLogger(): CapturedLog {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const written = new EventEmitter();
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        raw.push(line);
        const parsed = JSON.parse(line) as Record<string, unknown>;
        lines.push(parsed);
        written.emit('line', parsed);
      }
      callback();
    },
  });
  const next = (message: string): Promise<Record<string, unknown>> =>
    new Promise((resolve) => {
      const listener = (line: Record<string, unknown>): void => {
        if (line['msg'] !== message) return;
        written.off('line', listener);
        resolve(line);
      };
      written.on('line', listener);
    });
  const logger = pino({ level: 'debug' }, stream);
  return { logger, lines, text: () => raw.join('\n'), next };
}

interface Waiter {
  predicate: (input: MoonrakerInput) => boolean;
  resolve: (input: MoonrakerInput) => void;
}

/** Collects inputs in order and lets a test wait for one that matches. */
export class InputRecorder {
  readonly inputs: MoonrakerInput[] = [];
  private readonly waiters = new Set<Waiter>();
  private consumed = 0;

  readonly listener = (input: MoonrakerInput): void => {
    this.inputs.push(input);
    for (const waiter of [...this.waiters]) {
      if (!waiter.predicate(input)) continue;
      this.waiters.delete(waiter);
      this.consumed = this.inputs.length;
      waiter.resolve(input);
    }
  };

  /** Resolves with the first input after the last one waited for that matches `predicate`. */
  next(predicate: (input: MoonrakerInput) => boolean): Promise<MoonrakerInput> {
    const earlier = this.inputs.slice(this.consumed).find(predicate);
    if (earlier) {
      this.consumed = this.inputs.indexOf(earlier, this.consumed) + 1;
      return Promise.resolve(earlier);
    }
    return new Promise((resolve) => this.waiters.add({ predicate, resolve }));
  }

  kinds(): string[] {
    return this.inputs.map(describeInput);
  }
}

/** Returns a short label such as `snapshot:query` or `notification:notify_klippy_ready`. */
export function describeInput(input: MoonrakerInput): string {
  switch (input.kind) {
    case 'notification':
      return `notification:${input.method}`;
    case 'snapshot':
      return `snapshot:${input.source}`;
    case 'availability':
      return `availability:${input.available}`;
  }
}

export const isSnapshot =
  (source: 'subscribe' | 'query') =>
  (input: MoonrakerInput): boolean =>
    input.kind === 'snapshot' && input.source === source;

export const isAvailability =
  (available: boolean) =>
  (input: MoonrakerInput): boolean =>
    input.kind === 'availability' && input.available === available;

export const isNotification =
  (method: string) =>
  (input: MoonrakerInput): boolean =>
    input.kind === 'notification' && input.method === method;
