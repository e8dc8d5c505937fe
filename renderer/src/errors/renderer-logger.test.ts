import { describe, expect, it } from 'vitest';

import type { RendererLogLine } from '../../../shared/control-api/methods.js';
import { FakeDesktopBridge } from '../test-support/fake-desktop-bridge.js';
import { FakeTransport } from '../test-support/fake-transport.js';
import type { TransportState } from '../transport/control-transport.js';
import {
  bridgeLogSink,
  controlApiLogSink,
  formatLogMessage,
  RendererLogger,
  type LogConsole,
} from './renderer-logger.js';

/** A console that records what it prints. */
function recordingConsole() {
  const printed: { level: string; args: unknown[] }[] = [];
  const output: LogConsole = {
    debug: (...args: unknown[]) => printed.push({ level: 'debug', args }),
    info: (...args: unknown[]) => printed.push({ level: 'info', args }),
    warn: (...args: unknown[]) => printed.push({ level: 'warn', args }),
    error: (...args: unknown[]) => printed.push({ level: 'error', args }),
  };
  return { output, printed };
}

/** A transport whose connection state the test switches. */
class SwitchableTransport extends FakeTransport {
  private readonly stateListeners = new Set<(state: TransportState) => void>();

  // The listener is optional only because FakeTransport's own version takes none.
  override onStateChange(listener?: (state: TransportState) => void): () => void {
    if (!listener) return () => undefined;
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  switchTo(state: TransportState): void {
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }
}

describe('RendererLogger', () => {
  it('prints and forwards an error', () => {
    const lines: RendererLogLine[] = [];
    const { output, printed } = recordingConsole();
    const logger = new RendererLogger({ sink: (line) => lines.push(line), output });
    const error = new TypeError('x is undefined');

    logger.error('Loading the fleet failed', error);

    expect(printed).toEqual([{ level: 'error', args: ['Loading the fleet failed', error] }]);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.level).toBe('error');
    expect(lines[0]?.message).toMatch(/^Loading the fleet failed: TypeError: x is undefined\n/);
  });

  it('forwards a warning', () => {
    const lines: RendererLogLine[] = [];
    const logger = new RendererLogger({
      sink: (line) => lines.push(line),
      output: recordingConsole().output,
    });

    logger.warn('Could not store the language');

    expect(lines).toEqual([{ level: 'warn', message: 'Could not store the language' }]);
  });

  it('forwards 20 lines a minute and counts the rest', () => {
    const lines: RendererLogLine[] = [];
    let now = 0;
    const logger = new RendererLogger({
      sink: (line) => lines.push(line),
      output: recordingConsole().output,
      now: () => now,
    });

    for (let index = 0; index < 500; index += 1) logger.forward('error', `Render loop ${index}`);
    expect(lines).toHaveLength(20);

    now = 60_000;
    logger.forward('error', 'After the loop');
    expect(lines).toHaveLength(21);
    expect(lines[20]?.message).toBe('After the loop (480 earlier lines were not forwarded)');
  });

  it('survives a sink that throws', () => {
    const logger = new RendererLogger({
      sink: () => {
        throw new Error('IPC closed');
      },
      output: recordingConsole().output,
    });

    expect(() => logger.error('Saving failed')).not.toThrow();
  });
});

describe('formatLogMessage', () => {
  it('cuts a line to the limit of log.write', () => {
    const message = formatLogMessage('x'.repeat(10_000));
    expect(message).toHaveLength(4000);
    expect(message.endsWith('…')).toBe(true);
  });

  it('does not repeat a cause the message names', () => {
    expect(formatLogMessage('Saving failed: disk full', 'disk full')).toBe(
      'Saving failed: disk full',
    );
  });

  it('describes a plain object cause as JSON', () => {
    expect(formatLogMessage('Rejected', { code: 'busy' })).toBe('Rejected: {"code":"busy"}');
  });

  it('never returns an empty line', () => {
    expect(formatLogMessage('  ')).toBe('(empty log message)');
  });
});

describe('bridgeLogSink', () => {
  it('writes on the desktop log channel', () => {
    const bridge = new FakeDesktopBridge();
    bridgeLogSink(bridge)({ level: 'error', message: 'Uncaught boom' });
    expect(bridge.logged).toEqual([{ level: 'error', message: 'Uncaught boom' }]);
  });
});

describe('controlApiLogSink', () => {
  it('calls log.write while connected', () => {
    const transport = new SwitchableTransport().handle('log.write', () => ({ logged: true }));
    controlApiLogSink(transport)({ level: 'warn', message: 'slow' });
    expect(transport.callsOf('log.write')).toEqual([{ level: 'warn', message: 'slow' }]);
  });

  it('sends the queued lines once connected', () => {
    const transport = new SwitchableTransport().handle('log.write', () => ({ logged: true }));
    transport.state = 'connecting';
    const sink = controlApiLogSink(transport);

    for (let index = 0; index < 25; index += 1) sink({ level: 'error', message: `early ${index}` });
    expect(transport.callsOf('log.write')).toEqual([]);

    transport.switchTo('open');
    const sent = transport.callsOf('log.write') as RendererLogLine[];
    expect(sent).toHaveLength(20);
    expect(sent[0]?.message).toBe('early 5');
    expect(sent[19]?.message).toBe('early 24');
  });

  it('ignores a failed log.write', async () => {
    const transport = new SwitchableTransport().fail('log.write', 'internal', 'stopping');
    expect(() => controlApiLogSink(transport)({ level: 'error', message: 'boom' })).not.toThrow();
    await Promise.resolve();
  });
});
