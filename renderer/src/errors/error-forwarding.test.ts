import { afterEach, describe, expect, it } from 'vitest';

import type { RendererLogLine } from '../../../shared/control-api/methods.js';
import { installErrorForwarding } from './error-forwarding.js';
import { RendererLogger, type LogConsole } from './renderer-logger.js';

let uninstall: (() => void) | undefined;

afterEach(() => {
  uninstall?.();
  uninstall = undefined;
});

/** A console with warn and error, which the forwarding wraps, and what they printed. */
function pageConsole() {
  const printed: unknown[][] = [];
  const target = {
    warn: (...args: unknown[]) => printed.push(['warn', ...args]),
    error: (...args: unknown[]) => printed.push(['error', ...args]),
  };
  return { target, printed };
}

function setup() {
  const lines: RendererLogLine[] = [];
  const events = new EventTarget();
  const { target, printed } = pageConsole();
  const output: LogConsole = { ...target, debug: () => undefined, info: () => undefined };
  const logger = new RendererLogger({ sink: (line) => lines.push(line), output });
  uninstall = installErrorForwarding(
    events as unknown as Parameters<typeof installErrorForwarding>[0],
    logger,
    target,
  );
  return { lines, events, target, printed, logger };
}

describe('installErrorForwarding', () => {
  it('forwards an uncaught error', () => {
    const { lines, events } = setup();
    const error = new Error('boom');
    const event = Object.assign(new Event('error'), {
      message: 'Uncaught Error: boom',
      filename: 'app://owl/assets/index.js',
      lineno: 12,
      colno: 7,
      error,
    });

    events.dispatchEvent(event);

    expect(lines).toHaveLength(1);
    expect(lines[0]?.level).toBe('error');
    expect(lines[0]?.message).toMatch(
      /^Uncaught Error: boom at app:\/\/owl\/assets\/index\.js:12:7: Error: boom\n/,
    );
  });

  it('names an uncaught error without a message', () => {
    const { lines, events } = setup();

    events.dispatchEvent(Object.assign(new Event('error'), { message: '', filename: '' }));

    expect(lines).toEqual([{ level: 'error', message: 'Uncaught error' }]);
  });

  it('forwards an unhandled rejection', () => {
    const { lines, events } = setup();
    const event = Object.assign(new Event('unhandledrejection'), { reason: 'socket closed' });

    events.dispatchEvent(event);

    expect(lines).toEqual([
      { level: 'error', message: 'Unhandled promise rejection: socket closed' },
    ]);
  });

  it('forwards console warnings and errors', () => {
    const { lines, target, printed } = setup();

    target.warn('Could not store the language', new Error('busy'));
    target.error('Render failed');

    expect(printed.map((entry) => entry[0])).toEqual(['warn', 'error']);
    expect(lines.map((line) => line.level)).toEqual(['warn', 'error']);
    expect(lines[0]?.message).toMatch(/^Could not store the language Error: busy/);
    expect(lines[1]?.message).toBe('Render failed');
  });

  it('forwards a logger line once', () => {
    const { lines, logger, printed } = setup();

    logger.error('Saving failed');

    expect(lines).toHaveLength(1);
    expect(printed).toHaveLength(1);
  });

  it('stops forwarding once undone', () => {
    const { lines, events, target } = setup();
    uninstall?.();
    uninstall = undefined;

    target.warn('after');
    events.dispatchEvent(Object.assign(new Event('unhandledrejection'), { reason: 'late' }));

    expect(lines).toEqual([]);
  });
});
