import type { Clock } from '../support/clock.js';
import { systemErrorCode } from '../moonraker/errors.js';
import type { UnreachableReason } from './discovery-errors.js';
import { unreachableReason } from './tcp-connect.js';

export type FetchFunction = typeof fetch;

/** An HTTP response read to the end, or why no response arrived. */
export type HttpGetResult =
  | {
      readonly ok: true;
      readonly status: number;
      readonly contentType: string;
      readonly body: string;
    }
  | {
      readonly ok: false;
      readonly reason: UnreachableReason;
      readonly systemCode?: string;
      readonly cause: unknown;
    };

export interface HttpGetOptions {
  url: string;
  apiKey?: string;
  timeoutMs: number;
  clock: Clock;
  fetch: FetchFunction;
  signal?: AbortSignal;
}

/** Probe replies are small JSON objects; a larger body is cut off, since only its start matters. */
const MAX_BODY_CHARS = 256 * 1024;

/** Failures of a pooled keep-alive connection that the server had already closed. */
const STALE_CONNECTION_CODES: ReadonlySet<string> = new Set(['UND_ERR_SOCKET', 'ECONNRESET']);

/**
 * GETs a URL with a deadline covering the whole exchange, body included. Never rejects: transport
 * failures come back as an unreachable reason, aborts through `signal` as `timeout`. A request
 * that failed on a stale keep-alive connection is sent once more on a new one.
 */
export async function httpGet(options: HttpGetOptions): Promise<HttpGetResult> {
  const first = await httpGetOnce(options);
  if (first.ok || !first.systemCode || !STALE_CONNECTION_CODES.has(first.systemCode)) return first;
  return httpGetOnce(options);
}

async function httpGetOnce(options: HttpGetOptions): Promise<HttpGetResult> {
  const controller = new AbortController();
  const timer = options.clock.setTimeout(() => controller.abort(), options.timeoutMs);
  const onAbort = (): void => controller.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (options.signal?.aborted) controller.abort();
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (options.apiKey) headers['X-Api-Key'] = options.apiKey;
    const response = await options.fetch(options.url, { headers, signal: controller.signal });
    const body = (await response.text()).slice(0, MAX_BODY_CHARS);
    const contentType = response.headers.get('content-type') ?? '';
    return { ok: true, status: response.status, contentType, body };
  } catch (error) {
    if (controller.signal.aborted) return { ok: false, reason: 'timeout', cause: error };
    const systemCode = systemErrorCode(error);
    const reason = unreachableReason(systemCode);
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
