import { Writable } from 'node:stream';

import pino from 'pino';
import { describe, expect, it } from 'vitest';

import { rendererLogLineSchema } from '../../shared/control-api/methods.js';
import { RendererLog } from './renderer-log.js';

/** A logger whose JSON lines the test reads back. */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

describe('RendererLog', () => {
  it('writes a line at its level', () => {
    const { logger, lines } = capturingLogger();
    const log = new RendererLog(logger, () => 0);

    expect(log.write({ level: 'error', message: 'Uncaught TypeError: x is undefined' })).toBe(true);

    expect(lines).toHaveLength(1);
    expect(lines[0]?.['level']).toBe(50);
    expect(lines[0]?.['msg']).toBe('Uncaught TypeError: x is undefined');
  });

  it('drops lines beyond the limit of a window', () => {
    const { logger, lines } = capturingLogger();
    let now = 0;
    const log = new RendererLog(logger, () => now, { windowMs: 60_000, linesPerWindow: 30 });

    const results = Array.from({ length: 1000 }, (_, index) =>
      log.write({ level: 'error', message: `Render failed ${index}` }),
    );

    expect(results.filter(Boolean)).toHaveLength(30);
    expect(lines).toHaveLength(30);

    now = 60_000;
    log.write({ level: 'error', message: 'Render failed again' });
    expect(lines).toHaveLength(31);
    expect(lines[30]?.['suppressed']).toBe(970);
  });

  it('keeps a window per level', () => {
    const { logger, lines } = capturingLogger();
    const log = new RendererLog(logger, () => 0, { windowMs: 60_000, linesPerWindow: 2 });

    for (let index = 0; index < 10; index += 1) log.write({ level: 'warn', message: 'slow' });
    const written = log.write({ level: 'error', message: 'crashed' });

    expect(written).toBe(true);
    expect(lines.map((line) => line['msg'])).toEqual(['slow', 'slow', 'crashed']);
  });

  it('redacts a control token in a quoted address', () => {
    const { logger, lines } = capturingLogger();
    const log = new RendererLog(logger, () => 0);

    log.write({ level: 'warn', message: 'Failed at http://127.0.0.1:8765/?token=abc123#/fleet' });

    expect(lines[0]?.['msg']).toBe('Failed at http://127.0.0.1:8765/?token=[redacted]#/fleet');
  });
});

describe('rendererLogLineSchema', () => {
  it('rejects a message over 4000 characters', () => {
    const parsed = rendererLogLineSchema.safeParse({ level: 'error', message: 'x'.repeat(4001) });
    expect(parsed.success).toBe(false);
  });

  it('rejects an empty message', () => {
    expect(rendererLogLineSchema.safeParse({ level: 'error', message: '' }).success).toBe(false);
  });

  it('rejects an unknown level', () => {
    const parsed = rendererLogLineSchema.safeParse({ level: 'fatal', message: 'x' });
    expect(parsed.success).toBe(false);
  });
});
