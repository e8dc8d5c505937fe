import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server } from 'node:net';

import { afterEach, describe, expect, it } from 'vitest';

import { HttpRequestError, sendHttpRequest } from './http-request.js';

const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function listen(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  closers.push(async () => {
    const closed = once(server, 'close');
    server.close();
    await closed;
  });
  return (server.address() as AddressInfo).port;
}

/** Starts an HTTP server on a loopback port and returns its base URL. */
async function serveHttp(
  handler: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<string> {
  const server = createServer(handler);
  closers.push(async () => {
    server.closeAllConnections();
  });
  return `http://127.0.0.1:${await listen(server)}`;
}

async function rejection(promise: Promise<unknown>): Promise<HttpRequestError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(HttpRequestError);
  return error as HttpRequestError;
}

describe('sendHttpRequest', () => {
  it('returns the status, headers and body', async () => {
    const base = await serveHttp((_request, response) => {
      response.writeHead(418, { 'Content-Type': 'text/plain' });
      response.end('short and stout');
    });

    const response = await sendHttpRequest({ url: `${base}/teapot`, maxBodyBytes: 1024 });

    expect(response.status).toBe(418);
    expect(response.headers['content-type']).toBe('text/plain');
    expect(response.body.toString('utf8')).toBe('short and stout');
    expect(response.truncated).toBe(false);
  });

  it('sends the method, headers and body with its length', async () => {
    const received: { method?: string; length?: string; key?: unknown; body: string }[] = [];
    const base = await serveHttp((request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (body += chunk));
      request.on('end', () => {
        received.push({
          method: request.method,
          length: request.headers['content-length'],
          key: request.headers['x-api-key'],
          body,
        });
        response.end('{}');
      });
    });

    await sendHttpRequest({
      url: `${base}/printer/gcode/script`,
      method: 'POST',
      headers: { 'X-Api-Key': 'key-1' },
      body: '{"script":"M117 打印"}',
      maxBodyBytes: 1024,
    });

    expect(received).toEqual([
      { method: 'POST', length: '24', key: 'key-1', body: '{"script":"M117 打印"}' },
    ]);
  });

  it('cuts off a body over the limit', async () => {
    const base = await serveHttp((_request, response) => {
      response.writeHead(200);
      response.end('x'.repeat(100_000));
    });

    const response = await sendHttpRequest({ url: base, maxBodyBytes: 10 });

    expect(response.truncated).toBe(true);
    expect(response.body.toString('utf8')).toBe('x'.repeat(10));
  });

  it('reports a refused connection as not connected', async () => {
    const server = createTcpServer();
    const port = await listen(server);
    await closers.pop()?.();

    const error = await rejection(
      sendHttpRequest({ url: `http://127.0.0.1:${port}/`, maxBodyBytes: 10 }),
    );

    expect(error.code).toBe('ECONNREFUSED');
    expect(error.connected).toBe(false);
  });

  it('reports a reply that is not HTTP as connected', async () => {
    const port = await listen(
      createTcpServer((socket) => {
        socket.resume();
        socket.end('\u0020\u0002\u0000\u0086');
      }),
    );

    const error = await rejection(
      sendHttpRequest({ url: `http://127.0.0.1:${port}/`, maxBodyBytes: 10 }),
    );

    expect(error.connected).toBe(true);
  });

  it('rejects when the signal aborts during the response', async () => {
    const controller = new AbortController();
    let wrote: () => void = () => undefined;
    const firstPart = new Promise<void>((resolve) => (wrote = resolve));
    const base = await serveHttp((_request, response) => {
      response.writeHead(200);
      response.write('first part', () => wrote());
    });
    const pending = rejection(
      sendHttpRequest({ url: base, maxBodyBytes: 1024, signal: controller.signal }),
    );
    await firstPart;

    controller.abort();
    const error = await pending;

    expect(error.code).toBe('ABORT_ERR');
  });

  it('rejects a URL that is not http or https', async () => {
    const error = await rejection(sendHttpRequest({ url: 'ftp://printer/', maxBodyBytes: 10 }));

    expect(error.message).toBe('URL scheme ftp: is not supported; expected http: or https:');
  });
});
