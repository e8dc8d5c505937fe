import pino from 'pino';
import { describe, expect, it } from 'vitest';

import { LogBuffer } from './log-buffer.js';

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
