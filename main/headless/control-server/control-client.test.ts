import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { ControlClient } from '../../../shared/control-api/control-client.js';
import { ControlError } from '../../../shared/control-api/control-error.js';
import type { ControlEventData } from '../../../shared/control-api/events.js';
import { FakeClock } from '../../../test/support/fake-clock.js';
import { CodedError } from '../../support/coded-error.js';
import { ControlRig, reachState } from './__testing__/control-rig.js';
import { printerSummary, stubControlApi } from './__testing__/stub-control-api.js';

const rig = new ControlRig();

afterEach(async () => {
  await rig.dispose();
});

async function failure(promise: Promise<unknown>): Promise<ControlError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ControlError) return error;
    throw error;
  }
  throw new Error('the call succeeded');
}

describe('ControlClient', () => {
  describe('connect', () => {
    it('opens the socket', async () => {
      const { endpoint } = await rig.start();
      const client = rig.client(endpoint);

      await client.connect();

      expect(client.currentState).toBe('open');
    });

    it('rejects a wrong token and returns to idle', async () => {
      const { endpoint } = await rig.start();
      const client = rig.client(endpoint, { token: 'wrong' });

      const error = await failure(client.connect());

      expect(error.code).toBe('disconnected');
      expect(error.message).toBe(
        `Cannot connect to the control API at ${endpoint.socketUrl}: the socket closed with code 1006`,
      );
      expect(client.currentState).toBe('idle');
    });

    it('rejects an invalid address', async () => {
      const client = new ControlClient({ url: 'not a url', token: 't', WebSocket });

      const error = await failure(client.connect());

      expect(error.code).toBe('disconnected');
      expect(error.message).toBe(
        'Cannot connect to the control API at not a url: the socket could not be created (Invalid URL)',
      );
      expect(client.currentState).toBe('idle');
    });

    it('shares one attempt between concurrent calls', async () => {
      const { server, endpoint } = await rig.start();
      const client = rig.client(endpoint);

      await Promise.all([client.connect(), client.connect()]);

      expect(server.clientCount).toBe(1);
    });

    it('times out an attempt that never completes', async () => {
      const clock = new FakeClock();
      const { endpoint } = await rig.start();
      // A socket whose handshake never finishes, as behind a server that accepts and stalls.
      class StalledSocket {
        addEventListener(): void {}
        send(): void {}
        close(): void {}
      }
      const client = rig.client(endpoint, {
        WebSocket: StalledSocket,
        timers: clock,
        connectTimeoutMs: 5_000,
      });

      const connecting = failure(client.connect());
      clock.advance(5_000);
      const error = await connecting;

      expect(error.code).toBe('disconnected');
      expect(error.message).toBe(
        `Cannot connect to the control API at ${endpoint.socketUrl}: the connection attempt timed out`,
      );
    });
  });

  describe('call', () => {
    it('returns the validated result', async () => {
      const { endpoint } = await rig.start({
        api: stubControlApi({ 'printers.list': () => Promise.resolve([printerSummary()]) }),
      });
      const client = rig.client(endpoint);
      await client.connect();

      expect(await client.call('printers.list')).toEqual([printerSummary()]);
    });

    it('sends the params', async () => {
      const rename = vi.fn(({ printerId, name }: { printerId: string; name: string }) =>
        Promise.resolve(printerSummary({ id: printerId, name })),
      );
      const { endpoint } = await rig.start({ api: stubControlApi({ 'printers.rename': rename }) });
      const client = rig.client(endpoint);
      await client.connect();

      const result = await client.call('printers.rename', { printerId: 'p-2', name: 'Mini' });

      expect(result.name).toBe('Mini');
      expect(rename).toHaveBeenCalledWith({ printerId: 'p-2', name: 'Mini' });
    });

    it('rejects with the code, message and details from the service', async () => {
      const { endpoint } = await rig.start({
        api: stubControlApi({
          'link.withCode': () =>
            Promise.reject(
              new CodedError('link_expired', 'The link code expired; create a new one in Owl Web', {
                details: { printerId: 'p-1' },
              }),
            ),
        }),
      });
      const client = rig.client(endpoint);
      await client.connect();

      const error = await failure(client.call('link.withCode', { printerId: 'p-1', code: 'ABC' }));

      expect(error.code).toBe('link_expired');
      expect(error.message).toBe('The link code expired; create a new one in Owl Web');
      expect(error.details).toEqual({ printerId: 'p-1' });
      expect(error.source).toBe('service');
    });

    it('rejects invalid params before sending them', async () => {
      const { endpoint } = await rig.start();
      const client = rig.client(endpoint);
      await client.connect();

      const error = await failure(client.call('printers.get', { printerId: '' }));

      expect(error.code).toBe('invalid_arguments');
      expect(error.message).toBe('Invalid arguments for printers.get: printerId must not be empty');
      expect(error.source).toBe('client');
    });

    it('requires params where the method needs them', async () => {
      const { endpoint } = await rig.start();
      const client = rig.client(endpoint);
      await client.connect();

      // @ts-expect-error printers.get needs a printerId
      const error = await failure(client.call('printers.get'));

      expect(error.code).toBe('invalid_arguments');
      expect(error.message).toBe('Invalid arguments for printers.get: printerId is required');
    });

    it('rejects an unknown method with unknown_method', async () => {
      const { endpoint } = await rig.start();
      const client = rig.client(endpoint);
      await client.connect();

      // @ts-expect-error the control API has no such method
      const error = await failure(client.call('printers.explode', {}));

      expect(error.code).toBe('unknown_method');
      expect(error.message).toBe(
        'Unknown control method "printers.explode". Check the method name; the app and the ' +
          'service may be of different versions.',
      );
      expect(error.source).toBe('client');
    });

    it('rejects an invalid result', async () => {
      const { endpoint } = await rig.start({
        validateResults: false,
        api: stubControlApi({ 'discovery.refresh': () => Promise.resolve({ ok: 'yes' } as never) }),
      });
      const client = rig.client(endpoint);
      await client.connect();

      const error = await failure(client.call('discovery.refresh'));

      expect(error.code).toBe('invalid_response');
      expect(error.message).toBe(
        'The control API returned an invalid result for discovery.refresh: ok must be true',
      );
    });

    it('rejects while not connected', async () => {
      const { endpoint } = await rig.start();
      const client = rig.client(endpoint);

      const error = await failure(client.call('printers.list'));

      expect(error.code).toBe('disconnected');
      expect(error.message).toBe(
        'Cannot call printers.list: the control client is not connected (idle)',
      );
    });

    it('times out and ignores the late response', async () => {
      const clock = new FakeClock();
      let release: () => void = () => undefined;
      const reportError = vi.fn();
      const { endpoint } = await rig.start({
        api: stubControlApi({
          'discovery.refresh': () =>
            new Promise((resolve) => {
              release = () => resolve({ ok: true });
            }),
          'printers.list': () => Promise.resolve([]),
        }),
      });
      const client = rig.client(endpoint, { timers: clock, reportError });
      await client.connect();

      const refresh = failure(client.call('discovery.refresh', {}, { timeoutMs: 1_000 }));
      clock.advance(1_000);
      const error = await refresh;
      release();

      expect(error.code).toBe('timeout');
      expect(error.message).toBe('The control call discovery.refresh timed out');
      expect(await client.call('printers.list')).toEqual([]);
      expect(reportError).not.toHaveBeenCalled();
    });

    it('rejects pending calls when the connection drops', async () => {
      const { server, endpoint } = await rig.start({
        api: stubControlApi({ 'discovery.refresh': () => new Promise(() => undefined) }),
      });
      const client = rig.client(endpoint);
      await client.connect();

      const refresh = failure(client.call('discovery.refresh'));
      await server.close();
      const error = await refresh;

      expect(error.code).toBe('disconnected');
      expect(error.message).toBe('The connection closed before discovery.refresh returned');
    });
  });

  describe('on', () => {
    it('delivers events to every client', async () => {
      const { server, endpoint } = await rig.start();
      const first = rig.client(endpoint);
      const second = rig.client(endpoint);
      await Promise.all([first.connect(), second.connect()]);
      const received: string[] = [];
      const both = new Promise<void>((resolve) => {
        const record = (name: string) => (data: ControlEventData<'printer.removed'>) => {
          received.push(`${name}:${data.printerId}`);
          if (received.length === 2) resolve();
        };
        first.on('printer.removed', record('first'));
        second.on('printer.removed', record('second'));
      });

      server.publish('printer.removed', { printerId: 'p-5' });
      await both;

      expect(received.sort()).toEqual(['first:p-5', 'second:p-5']);
    });

    it('stops delivering after unsubscribe', async () => {
      const { server, endpoint } = await rig.start();
      const client = rig.client(endpoint);
      await client.connect();
      const removed = vi.fn();
      const unsubscribe = client.on('printer.removed', removed);
      const changes: string[] = [];
      const changed = new Promise<void>((resolve) =>
        client.on('printer.changed', (data) => {
          changes.push(data.id);
          resolve();
        }),
      );

      unsubscribe();
      server.publish('printer.removed', { printerId: 'p-5' });
      server.publish('printer.changed', printerSummary({ id: 'p-6' }));
      await changed;

      expect(removed).not.toHaveBeenCalled();
      expect(changes).toEqual(['p-6']);
    });

    it('keeps other listeners running when one throws', async () => {
      const { server, endpoint } = await rig.start();
      const reportError = vi.fn();
      const client = rig.client(endpoint, { reportError });
      await client.connect();
      client.on('printer.removed', () => {
        throw new Error('listener bug');
      });
      const delivered = new Promise<string>((resolve) =>
        client.on('printer.removed', (data) => resolve(data.printerId)),
      );

      server.publish('printer.removed', { printerId: 'p-7' });

      expect(await delivered).toBe('p-7');
      expect(reportError).toHaveBeenCalledWith(
        'A listener of the printer.removed event threw',
        expect.objectContaining({ message: 'listener bug' }),
      );
    });
  });

  describe('reconnect', () => {
    it('reconnects after a server restart', async () => {
      const clock = new FakeClock();
      const dataDir = await rig.folder();
      const first = await rig.start({
        dataDir,
        api: stubControlApi({ 'printers.list': () => Promise.resolve([]) }),
      });
      const client = rig.client(first.endpoint, {
        timers: clock,
        random: () => 0.5,
        reconnectInitialMs: 200,
      });
      await client.connect();
      const states: string[] = [];
      client.onStateChange((state) => states.push(state));
      const events: string[] = [];
      client.on('printer.removed', (data) => events.push(data.printerId));

      await first.server.close();
      await reachState(client, 'waiting');
      clock.advance(100);
      await reachState(client, 'waiting');
      const second = await rig.start({
        dataDir,
        port: first.endpoint.port,
        api: stubControlApi({ 'printers.list': () => Promise.resolve([printerSummary()]) }),
      });
      const reopened = reachState(client, 'open');
      clock.advance(200);
      await reopened;
      const delivered = new Promise<void>((resolve) =>
        client.on('printer.removed', () => resolve()),
      );
      second.server.publish('printer.removed', { printerId: 'p-8' });
      await delivered;

      expect(states).toEqual(['waiting', 'connecting', 'waiting', 'connecting', 'open']);
      expect(await client.call('printers.list')).toEqual([printerSummary()]);
      expect(events).toEqual(['p-8']);
    });

    it('doubles the wait up to the maximum', async () => {
      const clock = new FakeClock();
      const { server, endpoint } = await rig.start();
      const client = rig.client(endpoint, {
        timers: clock,
        random: () => 0.999,
        reconnectInitialMs: 100,
        reconnectMaxMs: 300,
      });
      await client.connect();
      await server.close();
      await reachState(client, 'waiting');

      const waits: number[] = [];
      for (let attempt = 0; attempt < 4; attempt += 1) {
        const before = clock.monotonic();
        const connecting = reachState(client, 'connecting');
        while (client.currentState === 'waiting') clock.advance(1);
        await connecting;
        waits.push(clock.monotonic() - before);
        await reachState(client, 'waiting');
      }

      expect(waits).toEqual([99, 199, 299, 299]);
    });
  });

  describe('close', () => {
    it('stops reconnecting and rejects later calls', async () => {
      const clock = new FakeClock();
      const { server, endpoint } = await rig.start();
      const client = rig.client(endpoint, { timers: clock });
      await client.connect();
      await server.close();
      await reachState(client, 'waiting');

      client.close();

      expect(client.currentState).toBe('closed');
      expect(clock.pendingTimers).toBe(0);
      const error = await failure(client.call('printers.list'));
      expect(error.message).toBe(
        'Cannot call printers.list: the control client is not connected (closed)',
      );
      await expect(client.connect()).rejects.toThrow('The control client is closed');
    });

    it('closes the socket on the server side', async () => {
      const { server, endpoint } = await rig.start();
      const client = rig.client(endpoint);
      await client.connect();
      const gone = new Promise<void>((resolve) =>
        server.onClientCountChange((count) => {
          if (count === 0) resolve();
        }),
      );

      client.close();
      await gone;

      expect(server.clientCount).toBe(0);
    });
  });
});

describe('ControlClient frames from the service', () => {
  let peer: WebSocketServer | null = null;

  afterEach(async () => {
    for (const socket of peer?.clients ?? []) socket.terminate();
    await new Promise((resolve) => peer?.close(resolve) ?? resolve(undefined));
    peer = null;
  });

  it('reports frames that break the protocol', async () => {
    const frames = [
      'not json',
      JSON.stringify({ hello: 'world' }),
      JSON.stringify({ event: 'printer.removed', data: { printerId: 5 } }),
      JSON.stringify({ event: 'printer.exploded', data: {} }),
      JSON.stringify({
        id: null,
        error: { code: 'invalid_frame', message: 'Frame is not valid JSON' },
      }),
    ];
    peer = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    peer.on('connection', (socket) => {
      for (const frame of frames) socket.send(frame);
      socket.send(Buffer.from([1, 2, 3]), { binary: true });
    });
    await new Promise((resolve) => peer?.once('listening', resolve));
    const { port } = peer.address() as AddressInfo;
    const reports: string[] = [];
    const reported = new Promise<void>((resolve) => {
      const client = new ControlClient({
        url: `ws://127.0.0.1:${port}/control`,
        token: 't',
        WebSocket,
        reportError: (message) => {
          reports.push(message);
          if (reports.length === frames.length + 1) {
            client.close();
            resolve();
          }
        },
      });
      client.on('printer.removed', () => undefined);
      void client.connect();
    });

    await reported;

    expect(reports).toEqual([
      'The control API sent a frame that is not JSON',
      'The control API sent a frame that is neither a response nor an event',
      'The control API sent an invalid printer.removed event: printerId must be text, not a number',
      'The control API sent an unknown event "printer.exploded"',
      'The control API rejected a frame: Frame is not valid JSON',
      'The control API sent a binary frame',
    ]);
  });
});

describe('ControlClient options', () => {
  it('accepts the ws package as its WebSocket', () => {
    const client = new ControlClient({ url: 'ws://127.0.0.1:1/control', token: 't', WebSocket });

    expect(client.currentState).toBe('idle');
  });
});
