import {
  LINK_PATH,
  LINK_POLL_INTERVAL_MS,
  LINK_TIMEOUT_MS,
  linkResponseSchema,
  type LinkRequest,
  type LinkResponse,
} from '../../shared/contract/device-http.js';
import { delay, type Clock } from '../support/clock.js';
import { CodedError } from '../support/coded-error.js';
import type { Logger } from '../support/logger.js';
import {
  excerptBody,
  globalFetch,
  normalizeBaseUrl,
  postJson,
  type CloudResponse,
  type FetchLike,
} from './cloud-request.js';
import { DeviceKey } from './device-key.js';

export type LinkErrorCode =
  | 'invalid_link_code'
  | 'link_timeout'
  | 'link_rejected'
  | 'link_cancelled'
  | 'invalid_response'
  | 'cloud_unreachable';

export interface LinkProgress {
  /** 1 for the first request, then one more for each poll. */
  attempt: number;
  /** Monotonic milliseconds since the first request was sent. */
  elapsedMs: number;
}

export interface LinkOptions {
  signal?: AbortSignal;
  /** Called before each request, so a UI can show that linking still waits for acceptance. */
  onProgress?: (progress: LinkProgress) => void;
  /**
   * Milliseconds from the first request after which no request is sent again, so linking stops
   * with `link_timeout` or with the last network or 5xx failure. A request started before then
   * may take this long again at most. Defaults to `LINK_TIMEOUT_MS` (120 s).
   */
  timeoutMs?: number;
}

export interface LinkClientOptions {
  baseUrl: string;
  clock: Clock;
  logger: Logger;
  fetch?: FetchLike;
  requestTimeoutMs?: number;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** Messages for rejections with a known cause, so the user reads what to do instead of a status. */
const REJECTION_MESSAGES: Readonly<Record<number, string>> = {
  400: 'Owl Cloud rejected the link request as malformed',
  409: 'This link code was already used; create a new link code in Owl and try again',
  410: 'This link code has expired; create a new link code in Owl and try again',
  429: 'Owl Cloud is rate limiting link requests; wait a minute and try again',
};

/**
 * Exchanges a link code for device credentials. Owl Cloud responds with 404 until the user accepts
 * the printer in Owl, so the client re-sends the same request every 5 s, for at most 120 s (or
 * `LinkOptions.timeoutMs`) measured on the monotonic clock from the first request. Network errors
 * and 5xx responses are transient and retried the same way. Every other status, such as 409 for
 * a used code or 410 for an expired one, fails at once.
 */
export class LinkClient {
  private readonly baseUrl: string;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly fetch: FetchLike;
  private readonly requestTimeoutMs: number;

  constructor(options: LinkClientOptions) {
    this.baseUrl = normalizeBaseUrl(options.baseUrl);
    this.clock = options.clock;
    this.logger = options.logger.child({ component: 'link-client' });
    this.fetch = options.fetch ?? globalFetch;
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  }

  /** Links with `code` (an opaque string, trimmed) and resolves with the issued credentials. */
  async link(code: string, options: LinkOptions = {}): Promise<LinkResponse> {
    const linkCode = code.trim();
    if (linkCode === '') {
      throw new CodedError<LinkErrorCode>(
        'invalid_link_code',
        'Link code cannot be empty; copy the code shown in Owl under Printers, Add Printer',
      );
    }

    this.logger.info({ baseUrl: this.baseUrl }, 'linking started');
    try {
      const credentials = await this.poll({ linkCode }, options);
      this.logger.info(
        { deviceId: credentials.deviceId, printerId: credentials.printerId },
        'linking succeeded',
      );
      return credentials;
    } catch (error) {
      if (options.signal?.aborted) throw cancelled(options.signal.reason);
      throw error;
    }
  }

  private async poll(request: LinkRequest, options: LinkOptions): Promise<LinkResponse> {
    const startedAt = this.clock.monotonic();
    const deadlineMs = options.timeoutMs ?? LINK_TIMEOUT_MS;
    for (let attempt = 1; ; attempt += 1) {
      const elapsedMs = this.clock.monotonic() - startedAt;
      options.onProgress?.({ attempt, elapsedMs });
      const transient = await this.attempt(request, options, deadlineMs);
      if (!(transient instanceof CodedError)) return transient;

      const waitedMs = this.clock.monotonic() - startedAt;
      if (waitedMs >= deadlineMs)
        throw transient.code === 'link_pending' ? timedOut(attempt, deadlineMs) : transient;
      this.logger.debug(
        { attempt, elapsedMs: waitedMs, reason: transient.code },
        'link request retried',
      );
      await delay(
        this.clock,
        Math.min(LINK_POLL_INTERVAL_MS, deadlineMs - waitedMs),
        options.signal,
      );
    }
  }

  /**
   * Sends one link request. Resolves with the credentials, or with the error to retry on: a
   * `link_pending` for 404, a `link_rejected` for 5xx or a `cloud_unreachable`. Throws the rest.
   */
  private async attempt(
    request: LinkRequest,
    options: LinkOptions,
    deadlineMs: number,
  ): Promise<LinkResponse | CodedError> {
    let response: CloudResponse;
    try {
      response = await postJson(this.baseUrl, LINK_PATH, request, {
        fetch: this.fetch,
        clock: this.clock,
        timeoutMs: Math.min(this.requestTimeoutMs, deadlineMs),
        signal: options.signal,
      });
    } catch (error) {
      if (error instanceof CodedError && error.code === 'cloud_unreachable') return error;
      throw error;
    }
    if (response.status === 200) return parseLinkResponse(response.text);
    if (response.status === 404)
      return new CodedError('link_pending', 'Link code not accepted yet');
    if (response.status >= 500) return rejection(response);
    throw rejection(response);
  }
}

/** Validates a 200 body. A required field that is missing fails with its name. */
export function parseLinkResponse(text: string): LinkResponse {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw invalidResponse('Owl Cloud returned a link response that is not JSON', error);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidResponse('Owl Cloud returned a link response that is not a JSON object');
  }

  const parsed = linkResponseSchema.safeParse(body);
  if (!parsed.success) {
    const field = String(parsed.error.issues[0]?.path[0] ?? 'body');
    const value = (body as Record<string, unknown>)[field];
    const problem = value === undefined || value === null ? 'missing expected' : 'has an invalid';
    throw invalidResponse(`Link response ${problem} field: ${field}`, parsed.error);
  }

  try {
    DeviceKey.fromBase64(parsed.data.devicePrivateKey);
  } catch (error) {
    throw invalidResponse(
      'Link response has an invalid field: devicePrivateKey (expected base64 of a 32-byte Ed25519 seed)',
      error,
    );
  }
  return parsed.data;
}

function rejection({ status, text }: CloudResponse): CodedError<LinkErrorCode> {
  const known = REJECTION_MESSAGES[status];
  const summary =
    known ??
    (status >= 500
      ? 'Owl Cloud failed to process the link request'
      : 'Owl Cloud rejected the link request');
  const body = excerptBody(text);
  const message = `${summary} (HTTP ${status}${body ? `: ${body}` : ''})`;
  return new CodedError('link_rejected', message, { details: { status, body } });
}

/**
 * Builds the failure after 120 s of 404 responses. Owl Cloud responds with 404 both to an unknown
 * code and to one not accepted yet, so the message names both causes. It never contains the code.
 */
function timedOut(attempts: number, timeoutMs: number): CodedError<LinkErrorCode> {
  const seconds = Math.round(timeoutMs / 1000);
  return new CodedError(
    'link_timeout',
    `Owl Cloud did not accept the link code within ${seconds} s. The code may be mistyped, ` +
      'or it was not accepted in Owl Web yet. Compare it with the code under Printers, Add ' +
      'printer in Owl Web, accept the printer there, and link again with that code or a new one',
    { details: { attempts, timeoutMs } },
  );
}

function cancelled(reason: unknown): CodedError<LinkErrorCode> {
  return new CodedError('link_cancelled', 'Linking was cancelled', { cause: reason });
}

function invalidResponse(message: string, cause?: unknown): CodedError<LinkErrorCode> {
  return new CodedError('invalid_response', message, { cause });
}
