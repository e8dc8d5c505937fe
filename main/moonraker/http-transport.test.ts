import { once } from 'node:events';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo, type LookupFunction } from 'node:net';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { FakeClock } from '../../test/support/fake-clock.js';
import { CodedError } from '../support/coded-error.js';
import { sendHttpRequest, type HttpRequestFunction } from '../support/http-request.js';
import {
  errorReply,
  FakeMoonraker,
  jsonReply,
  nextEvent,
  type RecordedRequest,
} from './__testing__/fake-moonraker.js';
import { MoonrakerEndpoint } from './endpoint.js';
import { MoonrakerHttp } from './http-transport.js';

const API_KEY = 'key-0123456789abcdef';

let moonraker: FakeMoonraker;
let clock: FakeClock;

beforeEach(async () => {
  moonraker = await FakeMoonraker.start();
  clock = new FakeClock();
});

afterEach(async () => {
  await moonraker.close();
});

function transport(
  options: { apiKey?: string; request?: HttpRequestFunction; signal?: AbortSignal } = {},
) {
  return new MoonrakerHttp({ endpoint: MoonrakerEndpoint.parse(moonraker.url), clock, ...options });
}

async function failure(promise: Promise<unknown>): Promise<CodedError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CodedError);
  return error as CodedError;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('MoonrakerHttp', () => {
  describe('request', () => {
    it('returns the unwrapped result', async () => {
      moonraker.http.set('GET /printer/info', () => jsonReply({ state: 'ready' }));

      const result = await transport().request('GET', '/printer/info', { timeoutMs: 5_000 });

      expect(result).toEqual({ state: 'ready' });
    });

    it('sends X-Api-Key when a key is configured', async () => {
      await transport({ apiKey: API_KEY }).request('GET', '/server/info', { timeoutMs: 5_000 });

      expect(moonraker.requests[0]?.headers['x-api-key']).toBe(API_KEY);
    });

    it('sends no X-Api-Key without a key', async () => {
      await transport().request('GET', '/server/info', { timeoutMs: 5_000 });

      expect(moonraker.requests[0]?.headers['x-api-key']).toBeUndefined();
    });

    it('sends the body as JSON', async () => {
      const body = { script: 'G28' };
      await transport().request('POST', '/printer/gcode/script', { body, timeoutMs: 5_000 });

      const request = moonraker.requests[0];
      expect(request?.headers['content-type']).toBe('application/json');
      expect(JSON.parse(request?.body ?? '')).toEqual(body);
    });

    it('percent-encodes every reserved character of the query', async () => {
      const filename = "my part (v2)'s 打印*!.gcode";
      const query = { filename };
      await transport().request('POST', '/printer/print/start', { query, timeoutMs: 5_000 });

      const rawQuery = moonraker.requests[0]?.rawQuery ?? '';
      expect(rawQuery).toMatch(/^filename=[A-Za-z0-9%._~-]+$/);
      expect(decodeURIComponent(rawQuery.slice('filename='.length))).toBe(filename);
    });
  });

  describe('request errors', () => {
    it('reports a rejected API key as unauthorized', async () => {
      moonraker.http.set('GET /server/info', () => errorReply(401, 'Unauthorized'));

      const error = await failure(
        transport({ apiKey: API_KEY }).request('GET', '/server/info', { timeoutMs: 5_000 }),
      );

      expect(error.code).toBe('unauthorized');
      expect(error.message).toBe(
        'Moonraker rejected the API key (401) for GET /server/info. ' +
          'Check the API key configured for this printer against Moonraker.',
      );
    });

    it('points to trusted_clients when no key is configured', async () => {
      moonraker.http.set('GET /server/info', () => errorReply(403, 'Forbidden'));

      const error = await failure(transport().request('GET', '/server/info', { timeoutMs: 5_000 }));

      expect(error.code).toBe('unauthorized');
      expect(error.message).toContain('(403) for GET /server/info');
      expect(error.message).toContain('not in trusted_clients');
      expect(error.message).toContain('or configure an API key');
    });

    it('reports 404 as not_found with the message from Moonraker', async () => {
      moonraker.http.set('GET /server/files/metadata', () =>
        errorReply(404, 'Metadata not available for <missing.gcode>'),
      );

      const error = await failure(
        transport().request('GET', '/server/files/metadata', { timeoutMs: 5_000 }),
      );

      expect(error.code).toBe('not_found');
      expect(error.message).toBe(
        'Moonraker returned 404 for GET /server/files/metadata: ' +
          'Metadata not available for <missing.gcode>',
      );
    });

    it('reports other statuses as http_error with status and message', async () => {
      moonraker.http.set('POST /printer/print/pause', () => errorReply(400, 'Not printing'));

      const error = await failure(
        transport().request('POST', '/printer/print/pause', { timeoutMs: 5_000 }),
      );

      expect(error.code).toBe('http_error');
      expect(error.message).toBe(
        'Moonraker returned HTTP 400 for POST /printer/print/pause: Not printing',
      );
      expect(error.details['status']).toBe(400);
    });

    it('reports a body that is not JSON as invalid_response', async () => {
      moonraker.http.set('GET /server/info', () => ({ status: 200, body: '<html>proxy</html>' }));

      const error = await failure(transport().request('GET', '/server/info', { timeoutMs: 5_000 }));

      expect(error.code).toBe('invalid_response');
      expect(error.message).toBe('Moonraker sent invalid JSON for GET /server/info.');
    });

    it('reports a reply without result as invalid_response', async () => {
      moonraker.http.set('GET /server/info', () => ({ status: 200, body: '{"answer": 1}' }));

      const error = await failure(transport().request('GET', '/server/info', { timeoutMs: 5_000 }));

      expect(error.code).toBe('invalid_response');
      expect(error.message).toBe(`Moonraker's reply to GET /server/info has no "result" member.`);
    });

    it('reports a refused connection as unreachable', async () => {
      const port = await closedPort();
      const http = new MoonrakerHttp({
        endpoint: MoonrakerEndpoint.parse(`http://127.0.0.1:${port}`),
        clock,
      });

      const error = await failure(http.request('GET', '/server/info', { timeoutMs: 5_000 }));

      expect(error.code).toBe('unreachable');
      expect(error.message).toBe(
        `Cannot reach Moonraker at http://127.0.0.1:${port} (ECONNREFUSED).`,
      );
    });

    it.each(['ENOTFOUND', 'EHOSTUNREACH'])('reports %s as unreachable', async (code) => {
      const cause = Object.assign(new Error(`lookup ${code}`), { code });
      const failingLookup: LookupFunction = (_hostname, _options, callback) =>
        callback(cause, '', 4);
      const request: HttpRequestFunction = (options) =>
        sendHttpRequest({ ...options, lookup: failingLookup });
      const http = new MoonrakerHttp({
        endpoint: MoonrakerEndpoint.parse('http://voron.lan:7125'),
        clock,
        request,
      });

      const error = await failure(http.request('GET', '/server/info', { timeoutMs: 5_000 }));

      expect(error.code).toBe('unreachable');
      expect(error.message).toBe(`Cannot reach Moonraker at http://voron.lan:7125 (${code}).`);
    });

    it('reaches Moonraker on a port that fetch blocks', async (context) => {
      const server = createHttpServer((_request, response) => {
        response.writeHead(200, { 'Content-Type': 'application/json' });
        response.end('{"result": {"state": "ready"}}');
      });
      server.listen(6000, '127.0.0.1');
      try {
        await once(server, 'listening');
      } catch (error) {
        // The port is fixed by the case under test, so a machine that uses it cannot run it.
        context.skip(`port 6000 on 127.0.0.1 cannot be bound here: ${String(error)}`);
        return;
      }
      const http = new MoonrakerHttp({
        endpoint: MoonrakerEndpoint.parse('http://127.0.0.1:6000'),
        clock,
      });

      try {
        expect(await http.request('GET', '/printer/info', { timeoutMs: 5_000 })).toEqual({
          state: 'ready',
        });
      } finally {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    });
  });

  describe('timeouts', () => {
    it('aborts a hung request when its deadline passes', async () => {
      moonraker.http.set('POST /printer/objects/query', () => 'hang');
      const arrived = nextEvent<RecordedRequest>(moonraker.events, 'request');
      const pending = failure(
        transport().request('POST', '/printer/objects/query', { body: {}, timeoutMs: 5_000 }),
      );
      await arrived;

      clock.advance(5_000);
      const error = await pending;

      expect(error.code).toBe('timeout');
      expect(error.message).toBe(
        'Moonraker did not respond to POST /printer/objects/query within 5000 ms.',
      );
      expect(clock.pendingTimers).toBe(0);
    });

    it('clears the deadline timer after a reply', async () => {
      await transport().request('GET', '/server/info', { timeoutMs: 5_000 });

      expect(clock.pendingTimers).toBe(0);
    });

    it('cancels requests in flight with closed when the owner aborts', async () => {
      moonraker.http.set('GET /server/info', () => 'hang');
      const owner = new AbortController();
      const arrived = nextEvent<RecordedRequest>(moonraker.events, 'request');
      const pending = failure(
        transport({ signal: owner.signal }).request('GET', '/server/info', { timeoutMs: 5_000 }),
      );
      await arrived;

      owner.abort();
      const error = await pending;

      expect(error.code).toBe('closed');
      expect(error.message).toBe(
        'GET /server/info was cancelled because the Moonraker client stopped.',
      );
    });
  });

  describe('download', () => {
    it('returns the raw bytes', async () => {
      moonraker.http.set('GET /server/files/gcodes/a.png', () => ({
        status: 200,
        body: 'PNGDATA',
        contentType: 'image/png',
      }));

      const bytes = await transport().download('/server/files/gcodes/a.png', {
        timeoutMs: 5_000,
        maxBytes: 100,
      });

      expect(Buffer.from(bytes).toString()).toBe('PNGDATA');
    });

    it('rejects a body one byte over the limit', async () => {
      moonraker.http.set('GET /big', () => ({ status: 200, body: 'x'.repeat(64) }));

      const error = await failure(transport().download('/big', { timeoutMs: 5_000, maxBytes: 63 }));

      expect(error.message).toBe('Moonraker sent more than 63 bytes for GET /big.');
      expect(clock.pendingTimers).toBe(0);
    });

    it('accepts a body of exactly the limit', async () => {
      moonraker.http.set('GET /exact', () => ({ status: 200, body: 'y'.repeat(64) }));

      const bytes = await transport().download('/exact', { timeoutMs: 5_000, maxBytes: 64 });

      expect(bytes.byteLength).toBe(64);
    });

    it('rejects a body larger than the limit', async () => {
      moonraker.http.set('GET /big', () => ({ status: 200, body: 'x'.repeat(64) }));

      const error = await failure(transport().download('/big', { timeoutMs: 5_000, maxBytes: 10 }));

      expect(error.code).toBe('invalid_response');
      expect(error.message).toBe('Moonraker sent more than 10 bytes for GET /big.');
    });
  });
});
