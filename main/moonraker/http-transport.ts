import type { Clock } from '../support/clock.js';
import {
  sendHttpRequest,
  type HttpRequestFunction,
  type HttpResponse,
} from '../support/http-request.js';
import type { MoonrakerEndpoint } from './endpoint.js';
import {
  isMoonrakerError,
  moonrakerError,
  unauthorizedError,
  unreachableError,
  type MoonrakerError,
} from './errors.js';

/** Default timeouts: reads and queries, and calls that make the printer do something. */
export const QUERY_TIMEOUT_MS = 5_000;
export const ACTION_TIMEOUT_MS = 10_000;

/**
 * Largest JSON reply that `request` reads. Moonraker's replies to the queries and actions of this
 * client are a few kilobytes, so the limit only stops a runaway body.
 */
export const MAX_REPLY_BYTES = 16 * 1024 * 1024;

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

export interface HttpRequestOptions {
  /** Query parameters, percent-encoded by the transport. */
  query?: Readonly<Record<string, string>>;
  /** Sent as JSON when present. */
  body?: unknown;
  timeoutMs: number;
}

export interface HttpTransportOptions {
  endpoint: MoonrakerEndpoint;
  apiKey?: string;
  clock: Clock;
  /** Sends each request, with `sendHttpRequest` over `node:http` by default. */
  request?: HttpRequestFunction;
  /** Aborts every request in flight, with code `closed`, when the owner shuts down. */
  signal?: AbortSignal;
}

const TIMEOUT_REASON = 'moonraker-timeout';

/**
 * Moonraker's HTTP API over `node:http`, which unlike `fetch` reaches Moonraker on any port.
 * Every call has a deadline on the injected clock, carries `X-Api-Key` when one is configured,
 * and fails with a MoonrakerError.
 */
export class MoonrakerHttp {
  private readonly send: HttpRequestFunction;

  constructor(private readonly options: HttpTransportOptions) {
    this.send = options.request ?? sendHttpRequest;
  }

  /** Sends a request and returns the `result` member of Moonraker's `{"result": …}` reply. */
  async request(method: HttpMethod, path: string, options: HttpRequestOptions): Promise<unknown> {
    const label = `${method} ${path}`;
    const response = await this.exchange(method, path, options, MAX_REPLY_BYTES);
    if (response.truncated) throw tooLarge(label, MAX_REPLY_BYTES);
    return unwrapResult(response.body.toString('utf8'), label);
  }

  /** Fetches a file's raw bytes, rejecting bodies larger than `maxBytes`. */
  async download(
    path: string,
    options: { timeoutMs: number; maxBytes: number },
  ): Promise<Uint8Array> {
    const label = `GET ${path}`;
    const response = await this.exchange('GET', path, options, options.maxBytes);
    if (response.truncated) throw tooLarge(label, options.maxBytes);
    return new Uint8Array(response.body);
  }

  /** Sends the request and returns a 2xx response. Other statuses fail with their error. */
  private async exchange(
    method: HttpMethod,
    path: string,
    options: HttpRequestOptions,
    maxBodyBytes: number,
  ): Promise<HttpResponse> {
    const label = `${method} ${path}`;
    const controller = new AbortController();
    const timer = this.options.clock.setTimeout(
      () => controller.abort(TIMEOUT_REASON),
      options.timeoutMs,
    );
    const onOwnerAbort = (): void => controller.abort(this.options.signal?.reason);
    this.options.signal?.addEventListener('abort', onOwnerAbort, { once: true });
    try {
      if (this.options.signal?.aborted) throw closedError(label);
      const response = await this.send({
        url: this.options.endpoint.httpUrl(path, options.query),
        method,
        headers: this.headers(options),
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
        maxBodyBytes,
        signal: controller.signal,
      });
      if (response.status < 200 || response.status > 299) {
        throw this.statusError(response, label);
      }
      return response;
    } catch (error) {
      throw this.classify(error, controller.signal, label, options.timeoutMs);
    } finally {
      this.options.clock.clearTimeout(timer);
      this.options.signal?.removeEventListener('abort', onOwnerAbort);
    }
  }

  private headers(options: HttpRequestOptions): Record<string, string> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (this.options.apiKey) headers['X-Api-Key'] = this.options.apiKey;
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    return headers;
  }

  private statusError(response: HttpResponse, label: string): MoonrakerError {
    const status = response.status;
    if (status === 401 || status === 403) {
      return unauthorizedError(status, label, Boolean(this.options.apiKey));
    }
    const detail = moonrakerMessage(response.body.toString('utf8'));
    const suffix = detail ? `: ${detail}` : '';
    const details = { status, request: label };
    if (status === 404) {
      return moonrakerError('not_found', `Moonraker returned 404 for ${label}${suffix}`, {
        details,
      });
    }
    return moonrakerError('http_error', `Moonraker returned HTTP ${status} for ${label}${suffix}`, {
      details,
    });
  }

  private classify(
    error: unknown,
    signal: AbortSignal,
    label: string,
    timeoutMs: number,
  ): MoonrakerError {
    if (isMoonrakerError(error)) return error;
    if (signal.aborted && signal.reason === TIMEOUT_REASON) {
      return moonrakerError(
        'timeout',
        `Moonraker did not respond to ${label} within ${timeoutMs} ms.`,
        { details: { request: label, timeoutMs } },
      );
    }
    if (signal.aborted) return closedError(label);
    return unreachableError(this.options.endpoint.baseUrl, error);
  }
}

function closedError(label: string): MoonrakerError {
  return moonrakerError('closed', `${label} was cancelled because the Moonraker client stopped.`);
}

function tooLarge(label: string, maxBytes: number): MoonrakerError {
  return moonrakerError(
    'invalid_response',
    `Moonraker sent more than ${maxBytes} bytes for ${label}.`,
    { details: { request: label, maxBytes } },
  );
}

function unwrapResult(text: string, label: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw moonrakerError('invalid_response', `Moonraker sent invalid JSON for ${label}.`, {
      cause: error,
      details: { request: label },
    });
  }
  if (typeof parsed !== 'object' || parsed === null || !Object.hasOwn(parsed, 'result')) {
    throw moonrakerError(
      'invalid_response',
      `Moonraker's reply to ${label} has no "result" member.`,
      { details: { request: label } },
    );
  }
  return (parsed as { result: unknown }).result;
}

/** Extracts `error.message` from Moonraker's `{"error": {"code", "message"}}` body, shortened. */
function moonrakerMessage(body: string): string {
  let message = body.trim();
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown } | string };
    const error = parsed.error;
    if (typeof error === 'string') message = error;
    else if (typeof error?.message === 'string') message = error.message;
  } catch {
    // A body that is not JSON (an HTML error page from a proxy) is shown as plain text.
  }
  return message.length > 200 ? `${message.slice(0, 200)}…` : message;
}
