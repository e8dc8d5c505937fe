import { afterEach, describe, expect, it } from 'vitest';

import { MAX_CONTROL_FRAME_BYTES } from '../../../shared/control-api/protocol.js';
import { captureLogger } from '../../cloud/__testing__/capture-logger.js';
import { CodedError } from '../../support/coded-error.js';
import { ControlRig, type RawSocket } from './__testing__/control-rig.js';
import { printerSummary, stubControlApi } from './__testing__/stub-control-api.js';
import type { ControlServerOptions } from './control-server.js';

const rig = new ControlRig();

afterEach(async () => {
  await rig.dispose();
});

async function connect(options: Partial<ControlServerOptions> = {}): Promise<RawSocket> {
  const { endpoint } = await rig.start(options);
  return rig.connectRaw(endpoint, { token: endpoint.token });
}

describe('control request dispatch', () => {
  it('returns the result with the request id', async () => {
    const socket = await connect({
      api: stubControlApi({
        'printers.rename': ({ printerId, name }) =>
          Promise.resolve(printerSummary({ id: printerId, name })),
      }),
    });

    const response = await socket.request(7, 'printers.rename', {
      printerId: 'p-9',
      name: ' Ender ',
    });

    expect(response).toEqual({ id: 7, result: printerSummary({ id: 'p-9', name: 'Ender' }) });
  });

  it('treats missing params as an empty object', async () => {
    const socket = await connect({
      api: stubControlApi({ 'discovery.refresh': () => Promise.resolve({ ok: true }) }),
    });

    expect(await socket.request(1, 'discovery.refresh')).toEqual({ id: 1, result: { ok: true } });
  });

  it('answers concurrent requests by id', async () => {
    let release: () => void = () => undefined;
    const socket = await connect({
      api: stubControlApi({
        'discovery.refresh': () =>
          new Promise((resolve) => {
            release = () => resolve({ ok: true });
          }),
        'printers.list': () => Promise.resolve([]),
      }),
    });

    socket.send({ id: 1, method: 'discovery.refresh' });
    socket.send({ id: 2, method: 'printers.list' });
    const first = await socket.next();
    release();
    const second = await socket.next();

    expect(first).toEqual({ id: 2, result: [] });
    expect(second).toEqual({ id: 1, result: { ok: true } });
  });

  it('rejects an unknown method', async () => {
    const socket = await connect();

    expect(await socket.request(3, 'printers.explode', {})).toEqual({
      id: 3,
      error: {
        code: 'unknown_method',
        message:
          'Unknown control method "printers.explode". Check the method name; the app and the ' +
          'service may be of different versions.',
        details: { method: 'printers.explode' },
      },
    });
  });

  it('rejects a method inherited from Object', async () => {
    const socket = await connect();

    const response = await socket.request(3, 'toString', {});

    expect(response).toMatchObject({ id: 3, error: { code: 'unknown_method' } });
  });

  it('rejects invalid arguments naming each field', async () => {
    const socket = await connect();

    const response = await socket.request(4, 'printers.add', { host: 'bad host!', port: 'x' });

    expect(response).toEqual({
      id: 4,
      error: {
        code: 'invalid_arguments',
        message:
          'Invalid arguments for printers.add: host must be a host name, an IPv4 or IPv6 ' +
          'address, or an http:// URL; port must be a number, not text',
        details: {
          issues: [
            {
              path: 'host',
              message: 'host must be a host name, an IPv4 or IPv6 address, or an http:// URL',
            },
            { path: 'port', message: 'port must be a number, not text' },
          ],
        },
      },
    });
  });

  it('rejects unexpected fields', async () => {
    const socket = await connect();

    const response = await socket.request(5, 'printers.list', { all: true });

    expect(response).toMatchObject({
      id: 5,
      error: {
        code: 'invalid_arguments',
        message: 'Invalid arguments for printers.list: all is not a known field',
      },
    });
  });

  it('passes control errors through', async () => {
    const socket = await connect({
      api: stubControlApi({
        'printers.add': () =>
          Promise.reject(
            new CodedError(
              'moonraker_unauthorized',
              'Moonraker at 10.0.0.5 requires authorization',
              {
                details: { trustedClients: '10.0.0.0/24' },
              },
            ),
          ),
      }),
    });

    expect(await socket.request(6, 'printers.add', { host: '10.0.0.5' })).toEqual({
      id: 6,
      error: {
        code: 'moonraker_unauthorized',
        message: 'Moonraker at 10.0.0.5 requires authorization',
        details: { trustedClients: '10.0.0.0/24' },
      },
    });
  });

  it('hides a coded error of another layer', async () => {
    const socket = await connect({
      api: stubControlApi({
        'printers.list': () => Promise.reject(new CodedError('listen_failed', 'port 80 taken')),
      }),
    });

    expect(await socket.request(1, 'printers.list')).toEqual({
      id: 1,
      error: {
        code: 'internal',
        message:
          'printers.list failed because of an internal error. See the service log for details',
      },
    });
  });

  it('hides and logs an unexpected error', async () => {
    const { logger, entries } = captureLogger();
    const socket = await connect({
      logger,
      api: stubControlApi({
        'settings.get': () => {
          throw new TypeError('Cannot read properties of undefined (reading "cloud")');
        },
      }),
    });

    const response = await socket.request(2, 'settings.get');

    expect(response).toEqual({
      id: 2,
      error: {
        code: 'internal',
        message:
          'settings.get failed because of an internal error. See the service log for details',
      },
    });
    expect(JSON.stringify(response)).not.toContain('reading');
    const logged = entries.find((line) => line.msg === 'control method threw an unexpected error');
    expect(logged?.method).toBe('settings.get');
    expect(JSON.stringify(logged?.err)).toContain('TypeError: Cannot read properties');
    expect((logged?.err as { stack?: string } | undefined)?.stack).toContain(
      'control-dispatch.test.ts',
    );
  });

  it('turns an invalid result into internal', async () => {
    const { logger, entries } = captureLogger();
    const socket = await connect({
      logger,
      validateResults: true,
      api: stubControlApi({
        'printers.list': () => Promise.resolve([{ id: 'p-1' }] as never),
      }),
    });

    const response = await socket.request(1, 'printers.list');

    expect(response).toEqual({
      id: 1,
      error: {
        code: 'internal',
        message:
          'printers.list failed because of an internal error. See the service log for details',
      },
    });
    const logged = entries.find((line) => line.msg === 'control method returned an invalid result');
    expect(logged?.problems).toContain('result[0].name is required');
  });

  it('sends an unchecked result when validation is off', async () => {
    const socket = await connect({
      validateResults: false,
      api: stubControlApi({ 'printers.list': () => Promise.resolve([{ id: 'p-1' }] as never) }),
    });

    expect(await socket.request(1, 'printers.list')).toEqual({ id: 1, result: [{ id: 'p-1' }] });
  });

  it('answers requests beyond the in-flight limit with busy', async () => {
    const socket = await connect({
      api: stubControlApi({ 'discovery.refresh': () => new Promise(() => undefined) }),
    });

    for (let id = 1; id <= 32; id += 1) socket.send({ id, method: 'discovery.refresh' });
    const response = await socket.request(33, 'discovery.refresh');

    expect(response).toEqual({
      id: 33,
      error: {
        code: 'busy',
        message: 'Too many requests in flight (max 32). Wait for responses before sending more',
      },
    });
  });
});

describe('malformed frames', () => {
  it.each([
    ['text that is not JSON', '{"id": 1,', 'Frame is not valid JSON'],
    ['a JSON array', '[1, 2]', 'Frame is not a request: frame must be an object, not a list'],
    [
      'a frame without a method',
      '{"params": {}}',
      'Frame is not a request: id is required; method is required',
    ],
    [
      'a negative id',
      '{"id": -1, "method": "printers.list"}',
      'Frame is not a request: id must be at least 0',
    ],
  ])('answers %s with invalid_frame and id null', async (_name, text, message) => {
    const socket = await connect();

    socket.send(text);

    expect(await socket.next()).toEqual({ id: null, error: { code: 'invalid_frame', message } });
  });

  it('keeps the id of a frame that has one', async () => {
    const socket = await connect();

    socket.send({ id: 12, method: 42 });

    expect(await socket.next()).toEqual({
      id: 12,
      error: {
        code: 'invalid_frame',
        message: 'Frame is not a request: method must be text, not a number',
      },
    });
  });

  it('answers a binary frame with invalid_frame', async () => {
    const socket = await connect();

    socket.socket.send(Buffer.from('{"id":1,"method":"printers.list"}'), { binary: true });

    expect(await socket.next()).toEqual({
      id: null,
      error: {
        code: 'invalid_frame',
        message: 'Binary frames are not supported; send JSON text frames',
      },
    });
  });

  it('survives an oversize frame', async () => {
    const socket = await connect({
      api: stubControlApi({ 'printers.list': () => Promise.resolve([]) }),
    });
    const size = MAX_CONTROL_FRAME_BYTES + 1;

    socket.send('x'.repeat(size));

    expect(await socket.next()).toEqual({
      id: null,
      error: {
        code: 'invalid_frame',
        message: `Frame of ${size} bytes exceeds the limit of ${MAX_CONTROL_FRAME_BYTES} bytes`,
      },
    });
    expect(await socket.request(2, 'printers.list')).toEqual({ id: 2, result: [] });
  });

  it('closes with 1009 beyond the hard limit', async () => {
    const socket = await connect();

    socket.send('x'.repeat(4 * MAX_CONTROL_FRAME_BYTES + 1));

    expect((await socket.closed).code).toBe(1009);
  });

  it('keeps the connection after a few invalid frames', async () => {
    const socket = await connect({
      api: stubControlApi({ 'printers.list': () => Promise.resolve([]) }),
    });

    for (let count = 0; count < 9; count += 1) {
      socket.send('not json');
      await socket.next();
    }
    expect(await socket.request(1, 'printers.list')).toEqual({ id: 1, result: [] });
    for (let count = 0; count < 9; count += 1) {
      socket.send('not json');
      await socket.next();
    }

    expect(await socket.request(2, 'printers.list')).toEqual({ id: 2, result: [] });
  });

  it('closes after ten invalid frames', async () => {
    const socket = await connect();

    for (let count = 0; count < 10; count += 1) socket.send('not json');

    expect(await socket.closed).toEqual({ code: 1008, reason: 'too many invalid frames' });
  });
});

describe('ControlServer.publish', () => {
  it('sends an event to every client', async () => {
    const { server, endpoint } = await rig.start();
    const first = await rig.connectRaw(endpoint, { token: endpoint.token });
    const second = await rig.connectRaw(endpoint, { token: endpoint.token });

    server.publish('printer.removed', { printerId: 'p-3' });

    const frame = { event: 'printer.removed', data: { printerId: 'p-3' } };
    expect(await first.next()).toEqual(frame);
    expect(await second.next()).toEqual(frame);
  });

  it('drops an event with invalid data', async () => {
    const { logger, entries } = captureLogger();
    const { server, endpoint } = await rig.start({ logger });
    const socket = await rig.connectRaw(endpoint, { token: endpoint.token });

    server.publish('printer.removed', { printerId: 7 } as never);
    server.publish('printer.removed', { printerId: 'p-4' });

    expect(await socket.next()).toEqual({ event: 'printer.removed', data: { printerId: 'p-4' } });
    const logged = entries.find(
      (line) => line.msg === 'dropped a control event that does not match its schema',
    );
    expect(logged?.problems).toBe('printerId must be text, not a number');
  });
});
