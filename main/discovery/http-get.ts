import type { Clock } from '../support/clock.js';
import {
  httpRequestError,
  sendHttpRequest,
  type HttpRequestFunction,
} from '../support/http-request.js';
import type { UnreachableReason } from './discovery-errors.js';
import { unreachableReason } from './tcp-connect.js';

/** An HTTP response read to the end, or why no response arrived. */
export type HttpGetResult =
  | {
      readonly ok: true;
      readonly status: number;
      readonly contentType: string;
      readonly body: string;
      /** True when the body was longer than `MAX_PROBE_BODY_BYTES` and was cut off there. */
      readonly truncated: boolean;
    }
  | {
      readonly ok: false;
      /**
       * `not_http` when the host accepted the connection but sent back no valid HTTP response,
       * as an MQTT broker or an SSH server does.
       */
      readonly reason: UnreachableReason | 'not_http';
      readonly systemCode?: string;
      readonly cause: unknown;
    };

export interface HttpGetOptions {
  url: string;
  apiKey?: string;
  timeoutMs: number;
  clock: Clock;
  /** Sends the request, with `sendHttpRequest` over `node:http` by default. */
  request?: HttpRequestFunction;
  signal?: AbortSignal;
}

/** Probe replies are small JSON objects; a larger body is cut off, since only its start matters. */
export const MAX_PROBE_BODY_BYTES = 256 * 1024;

/**
 * GETs a URL with a deadline covering the whole exchange, body included. Never rejects: transport
 * failures come back as a reason, aborts through `signal` as `timeout`.
 */
export async function httpGet(options: HttpGetOptions): Promise<HttpGetResult> {
  const controller = new AbortController();
  const timer = options.clock.setTimeout(() => controller.abort(), options.timeoutMs);
  const onAbort = (): void => controller.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (options.signal?.aborted) controller.abort();
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (options.apiKey) headers['X-Api-Key'] = options.apiKey;
    const response = await (options.request ?? sendHttpRequest)({
      url: options.url,
      headers,
      maxBodyBytes: MAX_PROBE_BODY_BYTES,
      signal: controller.signal,
    });
    const contentType = response.headers['content-type'] ?? '';
    return {
      ok: true,
      status: response.status,
      contentType,
      body: response.body.toString('utf8'),
      truncated: response.truncated,
    };
  } catch (error) {
    if (controller.signal.aborted) return { ok: false, reason: 'timeout', cause: error };
    const failure = httpRequestError(error);
    const systemCode = failure?.code;
    const reason = failure?.connected ? 'not_http' : unreachableReason(systemCode);
    return systemCode === undefined
      ? { ok: false, reason, cause: error }
      : { ok: false, reason, systemCode, cause: error };
  } finally {
    options.clock.clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/** Parses a body as JSON; undefined when it is not JSON. */
export function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}
