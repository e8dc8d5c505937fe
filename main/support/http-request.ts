import { request as plainRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as tlsRequest } from 'node:https';
import type { LookupFunction, Socket } from 'node:net';

/**
 * One HTTP request to a printer. It goes through `node:http`, because undici's `fetch` rejects
 * the ports that the WHATWG Fetch standard lists as "bad ports" (such as 6000 or 10080), and a
 * Moonraker may listen on any port.
 */
export interface HttpRequestOptions {
  /** An http:// or https:// URL. */
  url: string;
  /** GET by default. */
  method?: string;
  headers?: Readonly<Record<string, string>>;
  /** Sent with its Content-Length. */
  body?: string;
  /** Bytes of the response body that are kept. A longer body is cut off, and `truncated` set. */
  maxBodyBytes: number;
  /** Aborts the request, also while the body is read. */
  signal?: AbortSignal;
  /** Resolves host names in place of `dns.lookup`, for tests. */
  lookup?: LookupFunction;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** True when the body was longer than `maxBodyBytes`, and the rest was not read. */
  truncated: boolean;
}

/** The type of `sendHttpRequest`, so that tests can pass a wrapper. */
export type HttpRequestFunction = (options: HttpRequestOptions) => Promise<HttpResponse>;

/** A request that got no complete HTTP response. */
export class HttpRequestError extends Error {
  /** The system or Node.js error code, such as `ECONNREFUSED` or `HPE_INVALID_CONSTANT`. */
  readonly code: string | undefined;
  /**
   * True when the TCP connection was open before the failure. The host accepted the connection,
   * so the failure came from what it sent back, or did not send.
   */
  readonly connected: boolean;

  constructor(message: string, options: { code?: string; connected: boolean; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.name = 'HttpRequestError';
    this.code = options.code;
    this.connected = options.connected;
  }
}

/** Returns the `HttpRequestError` on `error` or its cause chain, if any. */
export function httpRequestError(error: unknown): HttpRequestError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    if (current instanceof HttpRequestError) return current;
    current = current.cause;
  }
  return undefined;
}

/**
 * Sends one request on a new connection and reads the response body, at most `maxBodyBytes` of
 * it. Rejects with an `HttpRequestError` when no complete response arrives, including when
 * `signal` aborts. Any status code resolves.
 */
export const sendHttpRequest: HttpRequestFunction = (options) =>
  new Promise((resolve, reject) => {
    const url = new URL(options.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      const message = `URL scheme ${url.protocol} is not supported; expected http: or https:`;
      reject(new HttpRequestError(message, { connected: false }));
      return;
    }
    if (options.signal?.aborted) {
      reject(aborted(false, options.signal.reason));
      return;
    }

    const headers: Record<string, string> = { ...options.headers };
    if (options.body !== undefined) {
      headers['Content-Length'] = String(Buffer.byteLength(options.body));
    }
    const send = url.protocol === 'https:' ? tlsRequest : plainRequest;
    // `agent: false` opens a new connection, so no request fails on a stale keep-alive one.
    const request = send(url, {
      method: options.method ?? 'GET',
      headers,
      agent: false,
      ...(options.lookup ? { lookup: options.lookup } : {}),
    });

    let connected = false;
    let response: IncomingMessage | undefined;
    let settled = false;
    const finish = (outcome: { value: HttpResponse } | { error: HttpRequestError }): void => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      if ('value' in outcome) resolve(outcome.value);
      else reject(outcome.error);
    };
    const fail = (error: HttpRequestError): void => {
      finish({ error });
      response?.destroy();
      request.destroy();
    };
    const onAbort = (): void => fail(aborted(connected, options.signal?.reason));
    options.signal?.addEventListener('abort', onAbort, { once: true });

    request.on('socket', (socket: Socket) => {
      // A socket whose host name lookup already failed is destroyed, not connected.
      if (!socket.connecting && !socket.destroyed) connected = true;
      else socket.once('connect', () => (connected = true));
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      fail(new HttpRequestError(error.message, { code: error.code, connected, cause: error }));
    });
    request.on('response', (incoming) => {
      response = incoming;
      readBody(incoming, options.maxBodyBytes, (outcome) => {
        if ('value' in outcome) {
          finish({ value: outcome.value });
          // A cut-off body is not read to its end, so the connection has to go.
          if (outcome.value.truncated) fail(aborted(connected, 'body cut off'));
          return;
        }
        fail(outcome.error);
      });
    });
    request.end(options.body);
  });

function readBody(
  response: IncomingMessage,
  maxBodyBytes: number,
  done: (outcome: { value: HttpResponse } | { error: HttpRequestError }) => void,
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  const result = (truncated: boolean): HttpResponse => ({
    status: response.statusCode ?? 0,
    headers: response.headers,
    body: Buffer.concat(chunks, Math.min(size, maxBodyBytes)),
    truncated,
  });
  const onData = (chunk: Buffer): void => {
    chunks.push(chunk);
    size += chunk.length;
    if (size <= maxBodyBytes) return;
    response.off('data', onData);
    done({ value: result(true) });
  };
  response.on('data', onData);
  response.on('end', () => done({ value: result(false) }));
  response.on('error', (error: NodeJS.ErrnoException) => {
    const message = `The response ended early: ${error.message}`;
    done({
      error: new HttpRequestError(message, { code: error.code, connected: true, cause: error }),
    });
  });
}

function aborted(connected: boolean, reason: unknown): HttpRequestError {
  return new HttpRequestError('The request was aborted', {
    code: 'ABORT_ERR',
    connected,
    cause: reason,
  });
}
