import { once } from 'node:events';
import {
  createServer as createTcpServer,
  type AddressInfo,
  type LookupFunction,
  type Socket,
} from 'node:net';
import type { NetworkInterfaceInfo } from 'node:os';

import { afterEach, describe, expect, it } from 'vitest';

import { EmbeddedBroker } from '../local-cloud/broker/embedded-broker.js';
import { ReasonCode } from '../local-cloud/broker/reason-codes.js';
import { sendHttpRequest } from '../support/http-request.js';
import {
  closedPort,
  fakeMoonraker,
  sendJson,
  startTestServer,
  type TestServer,
} from './__testing__/test-servers.js';
import { probeMoonraker, type ProbeResult } from './moonraker-probe.js';

const servers: TestServer[] = [];
const cleanups: (() => Promise<void>)[] = [];

async function serve(...args: Parameters<typeof startTestServer>): Promise<TestServer> {
  const server = await startTestServer(...args);
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

/** Starts a TCP server on a loopback port that handles each connection with `onConnection`. */
async function serveTcp(onConnection: (socket: Socket) => void): Promise<number> {
  const server = createTcpServer(onConnection);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(async () => {
    const closed = once(server, 'close');
    server.close();
    await closed;
  });
  return (server.address() as AddressInfo).port;
}

/** Error codes of Node.js and undici that a person should never read in a message. */
const LIBRARY_CODE = /\b(UND_ERR_\w+|HPE_\w+|E[A-Z]{4,})\b/;

function loopbackInterfaces(): NodeJS.Dict<NetworkInterfaceInfo[]> {
  return {
    lo: [
      {
        address: '127.0.0.1',
        netmask: '255.0.0.0',
        family: 'IPv4',
        mac: '00:00:00:00:00:00',
        internal: true,
        cidr: '127.0.0.1/8',
      },
    ],
  };
}

function expectKind<K extends ProbeResult['kind']>(result: ProbeResult, kind: K) {
  expect(result.kind).toBe(kind);
  return result as Extract<ProbeResult, { kind: K }>;
}

describe('probeMoonraker', () => {
  describe('with a Moonraker server', () => {
    it('confirms it with versions and host name', async () => {
      const server = await serve(fakeMoonraker({ hostname: 'voron-2' }));

      const result = await probeMoonraker({
        host: '127.0.0.1',
        port: server.port,
        timeoutMs: 2000,
      });

      const { instance } = expectKind(result, 'confirmed');
      expect(instance.host).toBe('127.0.0.1');
      expect(instance.port).toBe(server.port);
      expect(instance.moonrakerVersion).toBe('v0.9.3-1');
      expect(instance.klipperVersion).toBe('v0.12.0-100');
      expect(instance.klippyState).toBe('ready');
      expect(instance.hostname).toBe('voron-2');
      expect(instance.identity).toBe(
        `host:voron-2:${server.port}:/home/pi/printer_data/config/printer.cfg@127.0.0.1`,
      );
      expect(server.paths).toEqual(['/server/info', '/printer/info', '/machine/system_info']);
    });

    it('uses the instance id as identity when reported', async () => {
      const server = await serve(fakeMoonraker({ instanceId: 'abc-123' }));

      const result = await probeMoonraker({
        host: '127.0.0.1',
        port: server.port,
        timeoutMs: 2000,
      });

      expect(expectKind(result, 'confirmed').instance.identity).toBe('instance:abc-123@127.0.0.1');
    });

    it('leaves the address out of an identity with a MAC address', async () => {
      const server = await serve(
        fakeMoonraker({ hostname: 'mainsailos', macAddress: 'DC:A6:32:01:02:03' }),
      );

      const result = await probeMoonraker({
        host: '127.0.0.1',
        port: server.port,
        timeoutMs: 2000,
      });

      expect(expectKind(result, 'confirmed').instance.identity).toBe(
        `host:mainsailos:${server.port}:/home/pi/printer_data/config/printer.cfg`,
      );
    });

    it('names the resolved address for a host name', async () => {
      const server = await serve(fakeMoonraker({ hostname: 'mainsailos' }));

      const result = await probeMoonraker({
        host: 'localhost',
        port: server.port,
        timeoutMs: 2000,
        resolveAddress: () => Promise.resolve('127.0.0.1'),
      });

      expect(expectKind(result, 'confirmed').instance.identity).toBe(
        `host:mainsailos:${server.port}:/home/pi/printer_data/config/printer.cfg@127.0.0.1`,
      );
    });

    it('confirms it while Klippy is disconnected', async () => {
      const server = await serve(fakeMoonraker({ klippyState: 'disconnected' }));

      const result = await probeMoonraker({
        host: '127.0.0.1',
        port: server.port,
        timeoutMs: 2000,
      });

      const { instance } = expectKind(result, 'confirmed');
      expect(instance.klippyConnected).toBe(false);
      expect(instance.hostname).toBeUndefined();
      expect(instance.identity).toBe(`address:127.0.0.1:${server.port}`);
    });

    it('reads MAC and IP addresses from system info', async () => {
      const server = await serve(
        fakeMoonraker({ macAddress: 'DC:A6:32:01:02:03', ipAddresses: ['192.168.1.50'] }),
      );

      const result = await probeMoonraker({
        host: '127.0.0.1',
        port: server.port,
        timeoutMs: 2000,
      });

      const { machine } = expectKind(result, 'confirmed').instance;
      expect(machine.macAddresses).toEqual(['dc:a6:32:01:02:03']);
      expect(machine.ipAddresses).toEqual(['192.168.1.50']);
    });

    it('sends the API key', async () => {
      const server = await serve(fakeMoonraker({ apiKey: 'secret-key' }));

      const result = await probeMoonraker({
        host: '127.0.0.1',
        port: server.port,
        apiKey: 'secret-key',
        timeoutMs: 2000,
      });

      expect(result.kind).toBe('confirmed');
    });
  });

  describe('with authorization required', () => {
    it('returns the trusted_clients line for this network', async () => {
      const server = await serve(fakeMoonraker({ apiKey: 'secret-key' }));

      const result = await probeMoonraker({
        host: '127.0.0.1',
        port: server.port,
        timeoutMs: 2000,
        interfaces: loopbackInterfaces,
      });

      const { hint, error } = expectKind(result, 'unauthorized');
      expect(hint.trustedClient).toBe('127.0.0.1');
      expect(hint.configLine).toBe('    127.0.0.1');
      expect(hint.configSnippet).toBe('[authorization]\ntrusted_clients:\n    127.0.0.1');
      expect(hint.apiKeyRejected).toBe(false);
      expect(error.code).toBe('moonraker_unauthorized');
      expect(error.message).toBe(
        `Moonraker at 127.0.0.1:${server.port} requires authorization (HTTP 401). To trust this ` +
          'computer, add the line "127.0.0.1" under trusted_clients: in the [authorization] ' +
          "section of moonraker.conf and restart Moonraker, or fill in the printer's API key.",
      );
      expect(error.details['trustedClient']).toBe('127.0.0.1');
    });

    it('names the network of a LAN interface', async () => {
      const server = await serve(fakeMoonraker({ apiKey: 'secret-key' }));
      const lanInterfaces = (): NodeJS.Dict<NetworkInterfaceInfo[]> => ({
        eth0: [
          {
            address: '127.0.0.1',
            netmask: '255.255.255.0',
            family: 'IPv4',
            mac: '02:00:00:00:00:01',
            internal: false,
            cidr: '127.0.0.1/24',
          },
        ],
      });

      const result = await probeMoonraker({
        host: '127.0.0.1',
        port: server.port,
        timeoutMs: 2000,
        interfaces: lanInterfaces,
      });

      expect(expectKind(result, 'unauthorized').hint.trustedClient).toBe('127.0.0.0/24');
    });

    it('says the API key was rejected', async () => {
      const server = await serve(fakeMoonraker({ apiKey: 'secret-key' }));

      const result = await probeMoonraker({
        host: '127.0.0.1',
        port: server.port,
        apiKey: 'wrong-key',
        timeoutMs: 2000,
        interfaces: loopbackInterfaces,
      });

      const { hint, error } = expectKind(result, 'unauthorized');
      expect(hint.apiKeyRejected).toBe(true);
      expect(error.message).toMatch(
        new RegExp(
          `^Moonraker at 127\\.0\\.0\\.1:${server.port} rejected the API key \\(HTTP 401\\)`,
        ),
      );
    });

    it('treats 403 like 401', async () => {
      const server = await serve((_request, response) => sendJson(response, 403, {}));

      const result = await probeMoonraker({
        host: '127.0.0.1',
        port: server.port,
        timeoutMs: 2000,
      });

      expect(expectKind(result, 'unauthorized').error.message).toContain('(HTTP 403)');
    });
  });

  describe('with another HTTP server', () => {
    it('rejects an HTML page', async () => {
      const server = await serve((_request, response) => {
        response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        response.end('<html><body>Router login</body></html>');
      });

      const result = await probeMoonraker({
        host: '127.0.0.1',
        port: server.port,
        timeoutMs: 2000,
      });

      const { error } = expectKind(result, 'not_moonraker');
      expect(error.code).toBe('not_moonraker');
      expect(error.message).toBe(
        `127.0.0.1:${server.port} is not a Moonraker server (GET /server/info returned ` +
          'text/html, not JSON). Is the port right? Moonraker listens on 7125 by default.',
      );
    });

    it('names an over-size body by its size', async () => {
      const server = await serve((_request, response) => {
        response.writeHead(200, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify({ result: { padding: 'x'.repeat(300 * 1024) } }));
      });

      const result = await probeMoonraker({
        host: '127.0.0.1',
        port: server.port,
        timeoutMs: 2000,
      });

      const { error } = expectKind(result, 'not_moonraker');
      expect(error.message).toContain(
        'GET /server/info returned a response larger than 262144 bytes',
      );
      expect(error.message).not.toContain('not JSON');
    });

    it('rejects JSON of another kind', async () => {
      const server = await serve((_request, response) =>
        sendJson(response, 200, { result: { status: 'ok' } }),
      );

      const result = await probeMoonraker({
        host: '127.0.0.1',
        port: server.port,
        timeoutMs: 2000,
      });

      expect(expectKind(result, 'not_moonraker').error.message).toContain(
        "GET /server/info returned JSON without Moonraker's fields",
      );
    });

    it('rejects a 404 for /server/info', async () => {
      const server = await serve((_request, response) => sendJson(response, 404, {}));

      const result = await probeMoonraker({
        host: '127.0.0.1',
        port: server.port,
        timeoutMs: 2000,
      });

      expect(expectKind(result, 'not_moonraker').error.message).toContain(
        'GET /server/info returned HTTP 404',
      );
    });
  });

  describe('without an answer', () => {
    it('reports a closed port', async () => {
      const port = await closedPort();

      const result = await probeMoonraker({ host: '127.0.0.1', port, timeoutMs: 2000 });

      const { error } = expectKind(result, 'unreachable');
      expect(error.code).toBe('unreachable');
      expect(error.message).toBe(
        `Nothing listens on 127.0.0.1:${port} (connection refused). Check that Moonraker is ` +
          'running and that the port is right: Moonraker listens on 7125 by default.',
      );
      expect(error.details['reason']).toBe('refused');
    });

    it('times out on a server that never responds', async () => {
      const server = await serve(() => undefined);

      const result = await probeMoonraker({ host: '127.0.0.1', port: server.port, timeoutMs: 150 });

      const { error } = expectKind(result, 'unreachable');
      expect(error.message).toBe(
        `No answer from 127.0.0.1 on port ${server.port} within 150 ms. Check that the printer ` +
          'is switched on and on the same network as this computer.',
      );
      expect(error.details['reason']).toBe('timeout');
    });

    it('reports an unknown host name', async () => {
      const lookupFailure = Object.assign(new Error('getaddrinfo ENOTFOUND voron.lan'), {
        code: 'ENOTFOUND',
      });
      const failingLookup: LookupFunction = (_hostname, _options, callback) =>
        callback(lookupFailure, '', 4);

      const result = await probeMoonraker({
        host: 'voron.lan',
        timeoutMs: 2000,
        request: (options) => sendHttpRequest({ ...options, lookup: failingLookup }),
      });

      const { error, port } = expectKind(result, 'unreachable');
      expect(port).toBe(7125);
      expect(error.message).toBe(
        'Host name "voron.lan" not found. Check the spelling, or enter the printer\'s IP ' +
          'address instead.',
      );
      expect(error.details['reason']).toBe('host_not_found');
    });
  });

  describe('with a service that does not speak HTTP', () => {
    it('names an MQTT broker as not Moonraker', async () => {
      const broker = new EmbeddedBroker({
        authenticate: () => ({ ok: false as const, reasonCode: ReasonCode.notAuthorized }),
      });
      const { port } = await broker.listen();
      cleanups.push(() => broker.close());

      const result = await probeMoonraker({ host: '127.0.0.1', port, timeoutMs: 2000 });

      const { error } = expectKind(result, 'not_moonraker');
      expect(error.code).toBe('not_moonraker');
      expect(error.message).toBe(
        `127.0.0.1:${port} answered, but not with HTTP. Is this the Moonraker port? ` +
          'Moonraker listens on 7125 by default.',
      );
    });

    it('names a server that sends a banner as not Moonraker', async () => {
      const port = await serveTcp((socket) => {
        // Reading the request lets the socket see the client's close.
        socket.resume();
        socket.end('SSH-2.0-OpenSSH_9.2p1\r\n');
      });

      const result = await probeMoonraker({ host: '127.0.0.1', port, timeoutMs: 2000 });

      const { error } = expectKind(result, 'not_moonraker');
      expect(error.message).toMatch(/^127\.0\.0\.1:\d+ answered, but not with HTTP\./);
      expect(error.message).not.toMatch(LIBRARY_CODE);
    });

    it('names a server that closes at once as not Moonraker', async () => {
      const port = await serveTcp((socket) => socket.destroy());

      const result = await probeMoonraker({ host: '127.0.0.1', port, timeoutMs: 2000 });

      const { error } = expectKind(result, 'not_moonraker');
      expect(error.message).not.toMatch(LIBRARY_CODE);
    });
  });

  describe('on a port that fetch blocks', () => {
    it('confirms a Moonraker on port 6000', async (context) => {
      let server: TestServer;
      try {
        server = await serve(fakeMoonraker({ hostname: 'x11-port' }), { port: 6000 });
      } catch (error) {
        // The port is fixed by the case under test, so a machine that uses it cannot run it.
        context.skip(`port 6000 on 127.0.0.1 cannot be bound here: ${String(error)}`);
        return;
      }

      const result = await probeMoonraker({
        host: '127.0.0.1',
        port: server.port,
        timeoutMs: 2000,
      });

      expect(expectKind(result, 'confirmed').instance.hostname).toBe('x11-port');
    });
  });

  describe('with invalid arguments', () => {
    it('throws for an empty host', () => {
      expect(() => probeMoonraker({ host: ' ', timeoutMs: 100 })).toThrow(
        expect.objectContaining({
          code: 'invalid_arguments',
          message: 'Invalid host " ". Enter a host name or IP address, such as 192.168.1.50.',
        }),
      );
    });

    it('throws for a port out of range', () => {
      expect(() => probeMoonraker({ host: '127.0.0.1', port: 70_000, timeoutMs: 100 })).toThrow(
        expect.objectContaining({
          code: 'invalid_arguments',
          message: 'Invalid port 70000. Enter a port from 1 to 65535, usually 7125.',
        }),
      );
    });
  });
});
