import { afterEach, describe, expect, it } from 'vitest';

import { silentLogger } from '../../support/logger.js';
import { ControlRig } from './__testing__/control-rig.js';
import { printerSummary, stubControlApi } from './__testing__/stub-control-api.js';
import { ControlServer } from './control-server.js';

const rig = new ControlRig();

afterEach(async () => {
  await rig.dispose();
});

const listApi = stubControlApi({ 'printers.list': () => Promise.resolve([printerSummary()]) });

describe('ControlServer', () => {
  describe('constructor', () => {
    it.each(['0.0.0.0', '192.168.1.10', 'localhost', '::', '::1'])(
      'rejects the host %s',
      (host) => {
        const create = (): ControlServer =>
          new ControlServer({
            api: stubControlApi(),
            dataDir: '/nonexistent',
            host,
            logger: silentLogger,
          });

        expect(create).toThrow(
          expect.objectContaining({
            code: 'invalid_host',
            message: `Invalid host ${host}: the control server listens on 127.0.0.1 only`,
          }),
        );
      },
    );

    it('accepts 127.0.0.1', () => {
      const create = (): ControlServer =>
        new ControlServer({
          api: stubControlApi(),
          dataDir: '/nonexistent',
          host: '127.0.0.1',
          logger: silentLogger,
        });

      expect(create).not.toThrow();
    });
  });

  describe('start', () => {
    it('listens on 127.0.0.1 and reports the endpoint', async () => {
      const { endpoint } = await rig.start();

      expect(endpoint.port).toBeGreaterThan(0);
      expect(endpoint.origin).toBe(`http://127.0.0.1:${endpoint.port}`);
      expect(endpoint.socketUrl).toBe(`ws://127.0.0.1:${endpoint.port}/control`);
      expect(endpoint.pageUrl).toBe(`http://127.0.0.1:${endpoint.port}/?token=${endpoint.token}`);
    });

    it('reuses the token of the data folder', async () => {
      const dataDir = await rig.folder();
      const first = await rig.start({ dataDir });
      await first.server.close();

      const second = await rig.start({ dataDir });

      expect(second.endpoint.token).toBe(first.endpoint.token);
    });

    it('rejects with listen_failed when the port is taken', async () => {
      const { endpoint } = await rig.start();

      const started = rig.start({ port: endpoint.port });

      await expect(started).rejects.toMatchObject({
        code: 'listen_failed',
        message: `The control server cannot listen on 127.0.0.1:${endpoint.port}: listen EADDRINUSE: address already in use 127.0.0.1:${endpoint.port}`,
      });
    });

    it('rejects a second start', async () => {
      const { server } = await rig.start();

      await expect(server.start()).rejects.toMatchObject({
        code: 'already_started',
        message: 'Cannot start the control server: it is listening',
      });
    });
  });

  describe('WebSocket upgrade', () => {
    it('accepts the token in the query', async () => {
      const { endpoint } = await rig.start({ api: listApi });
      const socket = await rig.connectRaw(endpoint, { token: endpoint.token });

      expect(await socket.request(1, 'printers.list')).toEqual({
        id: 1,
        result: [printerSummary()],
      });
    });

    it('accepts the token in a bearer header', async () => {
      const { endpoint } = await rig.start({ api: listApi });
      const socket = await rig.connectRaw(endpoint, { header: `Bearer ${endpoint.token}` });

      expect(await socket.request(1, 'printers.list')).toEqual({
        id: 1,
        result: [printerSummary()],
      });
    });

    it('rejects a missing token with 401', async () => {
      const { endpoint } = await rig.start();

      const failure = await rig.rejection(endpoint);

      expect(failure.status).toBe(401);
      expect(failure.body).toBe('Missing control token\n');
    });

    it.each([
      ['a wrong query token', { token: 'x'.repeat(43) }],
      ['an empty query token', { token: '' }],
      ['a wrong bearer token', { header: `Bearer ${'y'.repeat(43)}` }],
      ['a header of another scheme', { header: 'Basic dXNlcjpwYXNz' }],
    ])('rejects %s with 401', async (_name, options) => {
      const { endpoint } = await rig.start();

      const failure = await rig.rejection(endpoint, options);

      expect(failure.status).toBe(401);
      expect(failure.body).toBe('Invalid control token\n');
    });

    it('checks the header before the query', async () => {
      const { endpoint } = await rig.start();

      const failure = await rig.rejection(endpoint, {
        token: endpoint.token,
        header: 'Bearer wrong',
      });

      expect(failure.status).toBe(401);
    });

    it.each(['http://127.0.0.1', 'http://localhost'])(
      'accepts the origin %s:<port>',
      async (host) => {
        const { endpoint } = await rig.start();

        const socket = await rig.connectRaw(endpoint, {
          token: endpoint.token,
          origin: `${host}:${endpoint.port}`,
        });

        expect(socket.socket.readyState).toBe(socket.socket.OPEN);
      },
    );

    it.each([
      ['another site', 'https://evil.example'],
      ['another port', 'http://127.0.0.1:1'],
      ['https on the same port', 'https://127.0.0.1:PORT'],
      ['a sandboxed page', 'null'],
      ['a DNS rebinding host', 'http://rebind.example:PORT'],
    ])('rejects the origin of %s with 403', async (_name, origin) => {
      const { endpoint } = await rig.start();

      const failure = await rig.rejection(endpoint, {
        token: endpoint.token,
        origin: origin.replace('PORT', String(endpoint.port)),
      });

      expect(failure.status).toBe(403);
      expect(failure.body).toBe('Cross-origin control connections are not allowed\n');
    });

    it('rejects other paths with 404', async () => {
      const { endpoint } = await rig.start();

      const failure = await rig.rejection(endpoint, { token: endpoint.token, path: '/socket' });

      expect(failure.status).toBe(404);
      expect(failure.body).toBe('No WebSocket endpoint at /socket\n');
    });

    it('rejects clients beyond the limit with 503', async () => {
      const { endpoint } = await rig.start({ maxClients: 2 });
      await rig.connectRaw(endpoint, { token: endpoint.token });
      await rig.connectRaw(endpoint, { token: endpoint.token });

      const failure = await rig.rejection(endpoint, { token: endpoint.token });

      expect(failure.status).toBe(503);
      expect(failure.body).toBe('Too many control clients (max 2)\n');
    });

    it('frees a slot when a client leaves', async () => {
      const { server, endpoint } = await rig.start({ maxClients: 1 });
      const first = await rig.connectRaw(endpoint, { token: endpoint.token });
      const left = new Promise<void>((resolve) => {
        const listener = server.onClientCountChange((count) => {
          if (count > 0) return;
          listener.dispose();
          resolve();
        });
      });
      first.socket.close();
      await left;

      const second = await rig.connectRaw(endpoint, { token: endpoint.token });

      expect(second.socket.readyState).toBe(second.socket.OPEN);
    });
  });

  describe('HTTP requests', () => {
    it('answers a plain GET with 426', async () => {
      const { endpoint } = await rig.start();

      const response = await fetch(`${endpoint.origin}/control`);

      expect(response.status).toBe(426);
      expect(response.headers.get('upgrade')).toBe('websocket');
    });

    it('answers 401 to a plain GET with a wrong token', async () => {
      const { endpoint } = await rig.start();

      const response = await fetch(`${endpoint.origin}/control`, {
        headers: { authorization: 'Bearer not-the-token' },
      });

      expect(response.status).toBe(401);
      expect(await response.text()).toBe('Invalid control token\n');
    });

    it('answers 426 to a plain GET with the right token', async () => {
      const { endpoint } = await rig.start();

      const response = await fetch(`${endpoint.origin}/control`, {
        headers: { authorization: `Bearer ${endpoint.token}` },
      });

      expect(response.status).toBe(426);
    });

    it('answers 404 without a static folder', async () => {
      const { endpoint } = await rig.start();

      const response = await fetch(`${endpoint.origin}/`);

      expect(response.status).toBe(404);
      expect(await response.text()).toBe(
        'Not found: this control server serves no user interface\n',
      );
    });
  });

  describe('close', () => {
    it('closes connected clients with 1001', async () => {
      const { server, endpoint } = await rig.start();
      const socket = await rig.connectRaw(endpoint, { token: endpoint.token });

      await server.close();

      expect(await socket.closed).toEqual({ code: 1001, reason: 'service stopping' });
      expect(server.clientCount).toBe(0);
    });

    it('stops accepting connections', async () => {
      const { server, endpoint } = await rig.start();

      await server.close();

      await expect(rig.connectRaw(endpoint, { token: endpoint.token })).rejects.toMatchObject({
        code: 'ECONNREFUSED',
      });
    });
  });
});
