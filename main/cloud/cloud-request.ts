import type { Clock } from '../support/clock.js';
import { CodedError, errorMessage } from '../support/coded-error.js';

/**
 * The part of the Fetch API that the cloud HTTP clients use. The global `fetch` fits it, and tests
 * can pass a plain function that returns `{ status, text }`, with `headers` when they need them.
 */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal },
) => Promise<{
  status: number;
  headers?: { get(name: string): string | null };
  text(): Promise<string>;
}>;

/** The global `fetch`, called through a wrapper so that it never runs with a foreign `this`. */
export const globalFetch: FetchLike = (url, init) => fetch(url, init);

export interface CloudResponse {
  status: number;
  text: string;
  /** Returns the value of a response header, or undefined when the response has none. */
  header(name: string): string | undefined;
}

export interface PostJsonOptions {
  fetch: FetchLike;
  clock: Clock;
  /** Maximum time for the whole exchange, from sending the request to the last body byte. */
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * Removes trailing slashes and checks that the cloud base URL is an absolute http(s) URL. Throws
 * `invalid_base_url` otherwise, because no request could ever succeed.
 */
export function normalizeBaseUrl(baseUrl: string): string {
  const trimmed = baseUrl.trim().replace(/\/+$/, '');
  let protocol = '';
  try {
    protocol = new URL(trimmed).protocol;
  } catch {
    // Handled by the protocol check below.
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new CodedError(
      'invalid_base_url',
      `Cloud base URL "${baseUrl}" is not an http(s) URL; set it to the Owl Cloud address, for example https://owl.example.com`,
      { details: { baseUrl } },
    );
  }
  return trimmed;
}

/**
 * Sends a JSON POST to `baseUrl + path` and reads the whole response body as text. Network
 * failures and timeouts reject with `cloud_unreachable`. When `signal` aborts, the promise
 * rejects with the signal's reason instead.
 */
export async function postJson(
  baseUrl: string,
  path: string,
  body: unknown,
  options: PostJsonOptions,
): Promise<CloudResponse> {
  const { signal, clock } = options;
  if (signal?.aborted) throw signal.reason;

  const controller = new AbortController();
  const forwardAbort = (): void => controller.abort(signal?.reason);
  signal?.addEventListener('abort', forwardAbort, { once: true });
  let timedOut = false;
  const timer = clock.setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.timeoutMs);

  try {
    const response = await options.fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      signal: controller.signal,
    });
    const text = await response.text();
    const { headers } = response;
    return {
      status: response.status,
      text,
      header: (name) => headers?.get(name) ?? undefined,
    };
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw unreachable(baseUrl, timedOut ? options.timeoutMs : undefined, error);
  } finally {
    clock.clearTimeout(timer);
    signal?.removeEventListener('abort', forwardAbort);
  }
}

function unreachable(baseUrl: string, timeoutMs: number | undefined, cause: unknown): CodedError {
  const reason =
    timeoutMs === undefined
      ? describeNetworkError(cause)
      : `no response within ${timeoutMs / 1000} s`;
  return new CodedError(
    'cloud_unreachable',
    `Cannot reach Owl Cloud at ${baseUrl} (${reason}); check the cloud URL and the network connection`,
    { cause, details: { baseUrl, timedOut: timeoutMs !== undefined } },
  );
}

/** Node's fetch rejects with "fetch failed" and keeps the socket error (ECONNREFUSED…) in `cause`. */
function describeNetworkError(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  const code =
    typeof cause === 'object' && cause !== null && 'code' in cause ? String(cause.code) : '';
  const message = errorMessage(error);
  return code ? `${message}: ${code}` : message;
}

/** Trims a response body for an error message, so a large HTML error page stays readable. */
export function excerptBody(text: string, maxLength = 300): string {
  const trimmed = text.trim();
  return trimmed.length <= maxLength ? trimmed : `${trimmed.slice(0, maxLength)}…`;
}
