import pino from 'pino';
import { describe, expect, it } from 'vitest';

import { createBufferedLogger, LogBuffer } from './log-buffer.js';
import { writesReadableLines } from './logger.js';

describe('LogBuffer', () => {
  it('keeps the printer name and local id of a line', () => {
    const buffer = new LogBuffer();
    const logger = pino({ level: 'info' }, buffer.stream());

    logger.child({ localPrinterId: 'p-1', printer: 'Voron' }).warn('Moonraker closed');

    const [line] = buffer.recent();
    expect(line?.message).toBe('Moonraker closed');
    expect(line?.level).toBe('warn');
    expect(line?.printer).toBe('Voron');
    expect(line?.printerId).toBe('p-1');
  });

  it('leaves out the ids of a line about no printer', () => {
    const buffer = new LogBuffer();
    const logger = pino({ level: 'info' }, buffer.stream());

    logger.info('Fleet started');

    const [line] = buffer.recent();
    expect(line).not.toHaveProperty('printer');
    expect(line).not.toHaveProperty('printerId');
  });
});

describe('writesReadableLines', () => {
  it('is true on a terminal', () => {
    expect(writesReadableLines({ isTTY: true })).toBe(true);
  });

  it.each([
    { case: 'a pipe', stream: {} },
    { case: 'a file', stream: { isTTY: false } },
  ])('is false on $case', ({ stream }) => {
    expect(writesReadableLines(stream)).toBe(false);
  });
});

describe('createBufferedLogger', () => {
  it('keeps JSON in the buffer when readable', () => {
    const buffer = new LogBuffer();
    const logger = createBufferedLogger('info', buffer, true);

    logger.info({ printer: 'voron' }, 'hello');

    const line = buffer.recent().at(-1);
    expect(line?.message).toBe('hello');
    expect(JSON.parse(line?.raw ?? '{}')).toMatchObject({ msg: 'hello', printer: 'voron' });
  });
});
