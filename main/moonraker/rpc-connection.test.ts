import { once } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';

import { FakeClock } from '../../test/support/fake-clock.js';
import { CodedError } from '../support/coded-error.js';
import { silentLogger, type Logger } from '../support/logger.js';
import { FakeMoonraker, nextEvent, type RecordedCall } from './__testing__/fake-moonraker.js';
import { captureLogger } from './__testing__/recorders.js';
import { MoonrakerEndpoint } from './endpoint.js';
import {
  JsonRpcConnection,
  type ConnectionClosed,
  type RpcNotification,
} from './rpc-connection.js';

const API_KEY = 'secret-api-key-42';

let moonraker: FakeMoonraker;
let clock: FakeClock;
const opened: JsonRpcConnection[] = [];

beforeEach(async () => {
  moonraker = await FakeMoonraker.start();
  clock = new FakeClock();
});

afterEach(async () => {
  for (const connection of opened.splice(0)) connection.terminate();
  await moonraker.close();
});

function websocketUrl(): string {
  return MoonrakerEndpoint.parse(moonraker.url).websocketUrl();
}

async function connect(
  options: { apiKey?: string; logger?: Logger; url?: string } = {},
): Promise<JsonRpcConnection> {
  const connection = await JsonRpcConnection.open({
    url: options.url ?? websocketUrl(),
    apiKey: options.apiKey,
    clock,
    logger: options.logger ?? silentLogger,
    openTimeoutMs: 5_000,
  });
  opened.push(connection);
  return connection;
}

async function failure(promise: Promise<unknown>): Promise<CodedError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CodedError);
  return error as CodedError;
}

function collectNotifications(connection: JsonRpcConnection): RpcNotification[] {
  const received: RpcNotification[] = [];
  connection.onNotification((notification) => received.push(notification));
  return received;
}

/** Waits until the notification with `method` arrives, so every frame before it was handled. */
function arrival(connection: JsonRpcConnection, method: string): Promise<void> {
  return new Promise((resolve) => {
    const subscription = connection.onNotification((notification) => {
      if (notification.method !== method) return;
      subscription.dispose();
      resolve();
    });
  });
}

describe('JsonRpcConnection', () => {
  describe('open', () => {
    it('sends X-Api-Key on the upgrade request', async () => {
      await connect({ apiKey: API_KEY });

      expect(moonraker.upgrades[0]?.['x-api-key']).toBe(API_KEY);
    });

    it('sends no X-Api-Key without a key', async () => {
      await connect();

      expect(moonraker.upgrades[0]?.['x-api-key']).toBeUndefined();
    });

    it('reports a 401 upgrade as unauthorized', async () => {
      moonraker.rejectUpgradeWith = 401;

      const error = await failure(connect({ apiKey: API_KEY }));

      expect(error.code).toBe('unauthorized');
      expect(error.message).toBe(
        `Moonraker rejected the API key (401) for the websocket upgrade at ${websocketUrl()}. ` +
          'Check the API key configured for this printer against Moonraker.',
      );
    });

    it('reports a missing websocket endpoint as not_found', async () => {
      const url = websocketUrl().replace('/websocket', '/elsewhere');

      const error = await failure(connect({ url }));

      expect(error.code).toBe('not_found');
      expect(error.message).toBe(`Moonraker answered the websocket upgrade at ${url} with 404.`);
    });

    it('times out when the upgrade gets no answer', async () => {
      const silent = await silentServer();
      const url = `ws://127.0.0.1:${(silent.server.address() as AddressInfo).port}/websocket`;
      const accepted = once(silent.server, 'connection');
      const pending = failure(connect({ url }));
      await accepted;

      clock.advance(5_000);
      const error = await pending;

      expect(error.code).toBe('timeout');
      expect(error.message).toBe(`The websocket at ${url} did not open within 5000 ms.`);
      await silent.close();
    });
  });

  describe('call', () => {
    it('numbers requests with increasing ids', async () => {
      const connection = await connect();

      await connection.call('server.info', undefined, { timeoutMs: 5_000 });
      await connection.call('printer.objects.list', undefined, { timeoutMs: 5_000 });

      expect(moonraker.calls.map((call) => call.id)).toEqual([1, 2]);
    });

    it('resolves with the result', async () => {
      const connection = await connect();

      const result = await connection.call('printer.objects.list', undefined, { timeoutMs: 5_000 });

      expect(result).toEqual({ objects: moonraker.objects });
    });

    it('runs onResult before the next frame is handled', async () => {
      moonraker.rpc.set('printer.objects.subscribe', (call) => {
        call.socket.send(JSON.stringify({ jsonrpc: '2.0', id: call.id, result: { status: {} } }));
        call.socket.send(
          JSON.stringify({ jsonrpc: '2.0', method: 'notify_status_update', params: [{}, 1] }),
        );
        return 'hang';
      });
      const connection = await connect();
      const order: string[] = [];
      connection.onNotification((notification) => order.push(notification.method));
      const notified = arrival(connection, 'notify_status_update');

      await connection.call(
        'printer.objects.subscribe',
        {},
        {
          timeoutMs: 5_000,
          onResult: () => order.push('result'),
        },
      );
      await notified;

      expect(order).toEqual(['result', 'notify_status_update']);
    });

    it('maps a JSON-RPC 401 to unauthorized', async () => {
      moonraker.rpc.set('server.info', () => ({ error: { code: 401, message: 'Unauthorized' } }));
      const connection = await connect();

      const error = await failure(connection.call('server.info', undefined, { timeoutMs: 5_000 }));

      expect(error.code).toBe('unauthorized');
      expect(error.message).toContain('Moonraker requires authorization (401) for server.info');
    });

    it('maps other JSON-RPC errors to rpc_error', async () => {
      moonraker.rpc.set('printer.objects.list', () => ({
        error: { code: 503, message: 'Klippy Disconnected' },
      }));
      const connection = await connect();

      const error = await failure(
        connection.call('printer.objects.list', undefined, { timeoutMs: 5_000 }),
      );

      expect(error.code).toBe('rpc_error');
      expect(error.message).toBe(
        'Moonraker returned error 503 for printer.objects.list: Klippy Disconnected',
      );
    });

    it('times out a call that gets no answer', async () => {
      moonraker.rpc.set('server.info', () => 'hang');
      const connection = await connect();
      const arrived = nextEvent<RecordedCall>(moonraker.events, 'call');
      const pending = failure(connection.call('server.info', undefined, { timeoutMs: 5_000 }));
      await arrived;

      clock.advance(4_999);
      clock.advance(1);
      const error = await pending;

      expect(error.code).toBe('timeout');
      expect(error.message).toBe('Moonraker did not respond to server.info within 5000 ms.');
    });

    it('rejects pending calls with closed when the socket closes', async () => {
      moonraker.rpc.set('server.info', () => 'hang');
      const connection = await connect();
      const arrived = nextEvent<RecordedCall>(moonraker.events, 'call');
      const pending = failure(connection.call('server.info', undefined, { timeoutMs: 5_000 }));
      await arrived;

      moonraker.dropSockets();
      const error = await pending;

      expect(error.code).toBe('closed');
      expect(error.message).toMatch(/^server\.info failed because the websocket closed: /);
      expect(clock.pendingTimers).toBe(0);
    });

    it('rejects a call on a closed connection', async () => {
      const connection = await connect();
      const closed = new Promise((resolve) => connection.onClose(resolve));
      connection.terminate();
      await closed;

      const error = await failure(connection.call('server.info', undefined, { timeoutMs: 5_000 }));

      expect(error.code).toBe('closed');
      expect(error.message).toBe('server.info failed because the websocket closed: not open');
    });
  });

  describe('frames', () => {
    it('hands notifications on in arrival order', async () => {
      const connection = await connect();
      const received = collectNotifications(connection);
      const done = arrival(connection, 'notify_last');

      moonraker.notify('notify_status_update', [{ extruder: { temperature: 20 } }, 1]);
      moonraker.notify('notify_gcode_response', ['ok']);
      moonraker.notify('notify_klippy_ready');
      moonraker.notify('notify_last', []);
      await done;

      expect(received.map((notification) => notification.method)).toEqual([
        'notify_status_update',
        'notify_gcode_response',
        'notify_klippy_ready',
        'notify_last',
      ]);
      expect(received[0]?.params).toEqual([{ extruder: { temperature: 20 } }, 1]);
    });

    it('skips and logs malformed frames without breaking the stream', async () => {
      const { logger, lines, text } = captureLogger();
      const connection = await connect({ apiKey: API_KEY, logger });
      const received = collectNotifications(connection);
      const done = arrival(connection, 'notify_last');

      moonraker.notify('notify_first', []);
      moonraker.send(`{"broken": "${API_KEY}`);
      moonraker.send({ jsonrpc: '1.0', method: 'notify_old' });
      moonraker.notify('notify_status_update', ['not an object']);
      moonraker.notify('notify_last', []);
      await done;

      expect(received.map((notification) => notification.method)).toEqual([
        'notify_first',
        'notify_last',
      ]);
      const skipped = lines.filter(
        (line) => line['msg'] === 'Skipped a malformed Moonraker websocket frame',
      );
      expect(skipped.map((line) => line['reason'])).toEqual([
        'not JSON',
        'not JSON-RPC 2.0',
        'notify_status_update with unexpected params',
      ]);
      expect(skipped[0]?.['excerpt']).toBe('{"broken": "[redacted]');
      expect(text()).not.toContain(API_KEY);
    });

    it('limits repeated malformed-frame lines to five a minute', async () => {
      const { logger, lines } = captureLogger();
      const connection = await connect({ logger });
      const done = arrival(connection, 'notify_last');

      for (let index = 0; index < 8; index += 1) moonraker.send('garbage');
      moonraker.notify('notify_last', []);
      await done;
      clock.jumpWallClock(60_000);
      moonraker.send('garbage');
      const later = arrival(connection, 'notify_later');
      moonraker.notify('notify_later', []);
      await later;

      const skipped = lines.filter((line) => line['reason'] === 'not JSON');
      expect(skipped).toHaveLength(6);
      expect(skipped[5]?.['suppressed']).toBe(3);
    });

    it('shortens long excerpts', async () => {
      const { logger, lines } = captureLogger();
      const connection = await connect({ logger });
      const done = arrival(connection, 'notify_last');

      moonraker.send(`not json ${'x'.repeat(300)}`);
      moonraker.notify('notify_last', []);
      await done;

      const excerpt = String(lines.find((line) => line['reason'] === 'not JSON')?.['excerpt']);
      expect(excerpt).toBe(`not json ${'x'.repeat(111)}… (309 characters)`);
    });

    it('ignores binary frames', async () => {
      const { logger, lines } = captureLogger();
      const connection = await connect({ logger });
      const received = collectNotifications(connection);
      const done = arrival(connection, 'notify_last');

      for (const socket of moonraker.sockets) {
        socket.send(Buffer.from('{"jsonrpc":"2.0","method":"notify_binary"}'), { binary: true });
      }
      moonraker.notify('notify_last', []);
      await done;

      expect(received.map((notification) => notification.method)).toEqual(['notify_last']);
      expect(lines.filter((line) => line['reason'] !== undefined)).toEqual([]);
    });
  });

  describe('close', () => {
    it('reports a dropped socket to close listeners', async () => {
      const connection = await connect();
      const closed = new Promise<ConnectionClosed>((resolve) => connection.onClose(resolve));

      moonraker.dropSockets();
      const { error } = await closed;

      expect(error.code).toBe('closed');
      expect(error.message).toBe(`Moonraker closed the websocket at ${websocketUrl()} (1006).`);
    });

    it('closes gracefully and leaves no timer', async () => {
      const connection = await connect();
      const serverSide = nextEvent<WebSocket>(moonraker.events, 'disconnect');
      const closed = new Promise<ConnectionClosed>((resolve) => connection.onClose(resolve));

      connection.close();
      const { code, error } = await closed;
      await serverSide;

      expect(code).toBe(1000);
      expect(error.code).toBe('closed');
      expect(moonraker.sockets.size).toBe(0);
      expect(clock.pendingTimers).toBe(0);
    });
  });

  describe('keepalive', () => {
    it('pings after silence and stays open when the pong arrives', async () => {
      const connection = await connect();
      const pinged = new Promise<void>((resolve) => {
        for (const socket of moonraker.sockets) socket.once('ping', () => resolve());
      });

      clock.advance(30_000);
      await pinged;
      await nextPong(connection);
      clock.advance(10_000);

      const result = await connection.call('server.info', undefined, { timeoutMs: 5_000 });
      expect(result).toMatchObject({ klippy_state: 'ready' });
    });

    it('ends a connection whose peer stops answering pings', async () => {
      await moonraker.close();
      moonraker = await FakeMoonraker.start({ autoPong: false });
      const connection = await connect();
      const closed = new Promise<ConnectionClosed>((resolve) => connection.onClose(resolve));

      clock.advance(30_000);
      clock.advance(10_000);
      const { error } = await closed;

      expect(error.code).toBe('timeout');
      expect(error.message).toBe(`The websocket at ${websocketUrl()} stopped responding to pings.`);
    });
  });
});

/**
 * Resolves once the connection has handled the pong: ws queues the automatic pong before it
 * emits `ping` on the server, so a frame sent afterwards arrives after the pong.
 */
async function nextPong(connection: JsonRpcConnection): Promise<void> {
  const marker = arrival(connection, 'notify_after_pong');
  moonraker.notify('notify_after_pong', []);
  await marker;
}

/** Starts a TCP server that accepts connections and never responds, to hang an upgrade. */
async function silentServer(): Promise<{ server: Server; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const close = async (): Promise<void> => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { server, close };
}
