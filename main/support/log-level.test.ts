import { Writable } from 'node:stream';

import pino from 'pino';
import { describe, expect, it } from 'vitest';

import { LogLevelControl, isSettableLogLevel } from './log-level.js';

/** Builds a root logger at `info` that writes its messages to `messages`, as the apps do. */
function capturedLogger() {
  const messages: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      messages.push((JSON.parse(chunk.toString('utf8')) as { msg: string }).msg);
      done();
    },
  });
  const logger = pino({ level: 'info' }, pino.multistream([{ level: 'trace', stream }]));
  return { logger, messages };
}

describe('LogLevelControl', () => {
  describe('apply', () => {
    it('sets the stored level on the root and its children', () => {
      const { logger, messages } = capturedLogger();
      const child = logger.child({ component: 'bridge' });

      expect(new LogLevelControl(logger).apply('debug')).toBe(true);
      child.debug('frame received');

      expect(logger.level).toBe('debug');
      expect(messages).toEqual(['Log level set to debug', 'frame received']);
    });

    it('keeps the level when nothing changed', () => {
      const { logger, messages } = capturedLogger();

      expect(new LogLevelControl(logger).apply('info')).toBe(false);
      expect(messages).toEqual([]);
    });

    it('prefers the command line override', () => {
      const { logger } = capturedLogger();
      const control = new LogLevelControl(logger, 'trace');

      control.apply('error');

      expect(logger.level).toBe('trace');
      expect(control.effectiveLevel('warn')).toBe('trace');
    });

    it('silences lines below a higher level', () => {
      const { logger, messages } = capturedLogger();
      new LogLevelControl(logger).apply('warn');

      logger.info('routine line');
      logger.warn('slow reply');

      expect(messages).toEqual(['slow reply']);
    });
  });
});

describe('isSettableLogLevel', () => {
  it('accepts the five settable levels only', () => {
    for (const level of ['trace', 'debug', 'info', 'warn', 'error']) {
      expect(isSettableLogLevel(level)).toBe(true);
    }
    expect(isSettableLogLevel('fatal')).toBe(false);
    expect(isSettableLogLevel('verbose')).toBe(false);
    expect(isSettableLogLevel(undefined)).toBe(false);
  });
});
