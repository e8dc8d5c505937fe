import {
  TOKEN_MAX_LIFETIME_SECONDS,
  TOKEN_MIN_LIFETIME_SECONDS,
  TOKEN_PATH,
  tokenResponseSchema,
  tokenSigningInput,
  type TokenRequest,
} from '../../shared/contract/device-http.js';
import { parseCloudTimestamp } from '../../shared/contract/time.js';
import type { Clock } from '../support/clock.js';
import { CodedError } from '../support/coded-error.js';
import {
  excerptBody,
  globalFetch,
  normalizeBaseUrl,
  postJson,
  type CloudResponse,
  type FetchLike,
} from './cloud-request.js';
import type { DeviceKey } from './device-key.js';
import { parseRetryAfter } from './retry-after.js';

/**
 * Codes of a failed token request. `cloud_not_ready` (HTTP 503) and `rate_limited` (HTTP 429)
 * carry the server's `Retry-After` as `details.retryAfterMs` when it sent one.
 */
export const TOKEN_ERROR_CODES = [
  'token_rejected',
  'device_unknown',
  'rate_limited',
  'cloud_not_ready',
  'token_failed',
  'invalid_response',
  'cloud_unreachable',
] as const;

export type TokenErrorCode = (typeof TOKEN_ERROR_CODES)[number];

/** A device JWT with the times needed to schedule its renewal. */
export interface IssuedToken {
  accessToken: string;
  /** Server's `issuedAt`, epoch milliseconds. */
  issuedAtMs: number;
  lifetimeSeconds: number;
  /** Local monotonic milliseconds when the response arrived. */
  receivedAtMonotonicMs: number;
  /** Local wall-clock epoch milliseconds when the response arrived. */
  receivedAtMs: number;
}

export interface TokenClientOptions {
  baseUrl: string;
  deviceId: string;
  key: DeviceKey;
  clock: Clock;
  fetch?: FetchLike;
  requestTimeoutMs?: number;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/**
 * Requests device tokens: the body carries the device id, the local Unix time in seconds, and an
 * Ed25519 signature over `{deviceId}:{timestamp}`. Each call is one request, without retries.
 */
export class TokenClient {
  private readonly baseUrl: string;
  private readonly fetch: FetchLike;
  private readonly requestTimeoutMs: number;

  constructor(private readonly options: TokenClientOptions) {
    this.baseUrl = normalizeBaseUrl(options.baseUrl);
    this.fetch = options.fetch ?? globalFetch;
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  }

  async requestToken(signal?: AbortSignal): Promise<IssuedToken> {
    const { deviceId, clock } = this.options;
    const timestamp = Math.floor(clock.now() / 1000);
    const request: TokenRequest = {
      deviceId,
      timestamp,
      signature: this.options.key.sign(tokenSigningInput(deviceId, timestamp)),
    };

    const response = await postJson(this.baseUrl, TOKEN_PATH, request, {
      fetch: this.fetch,
      clock,
      timeoutMs: this.requestTimeoutMs,
      signal,
    });
    if (response.status !== 200) throw tokenError(response, deviceId, clock.now());
    return parseTokenResponse(response.text, clock);
  }
}

/** Validates a 200 body and stamps it with the local receive times. */
export function parseTokenResponse(text: string, clock: Clock): IssuedToken {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw invalidResponse('Owl Cloud returned a token response that is not JSON', error);
  }

  const parsed = tokenResponseSchema.safeParse(body);
  if (!parsed.success) {
    const field = String(parsed.error.issues[0]?.path[0] ?? 'body');
    const limits = `an integer from ${TOKEN_MIN_LIFETIME_SECONDS} to ${TOKEN_MAX_LIFETIME_SECONDS}`;
    const hint = field === 'expiresIn' ? ` (expected ${limits} seconds)` : '';
    throw invalidResponse(`Token response has a missing or invalid field: ${field}${hint}`);
  }

  const issuedAtMs = parseCloudTimestamp(parsed.data.issuedAt);
  if (issuedAtMs === null) {
    throw invalidResponse(`Token response has an invalid issuedAt: "${parsed.data.issuedAt}"`);
  }
  return {
    accessToken: parsed.data.accessToken,
    issuedAtMs,
    lifetimeSeconds: parsed.data.expiresIn,
    receivedAtMonotonicMs: clock.monotonic(),
    receivedAtMs: clock.now(),
  };
}

function tokenError(
  response: CloudResponse,
  deviceId: string,
  localNowMs: number,
): CodedError<TokenErrorCode> {
  const { status } = response;
  const body = excerptBody(response.text);
  const details = { status, body, deviceId };
  switch (status) {
    case 401:
      return new CodedError(
        'token_rejected',
        `Owl Cloud rejected the token request of device ${deviceId} (HTTP 401): the signature or timestamp is invalid. Check that this computer's clock is correct (it reads ${new Date(localNowMs).toISOString()}); if it is, re-link this printer`,
        { details },
      );
    case 403:
      return new CodedError(
        'token_rejected',
        `Owl Cloud refused to issue a token for device ${deviceId} (HTTP 403); re-link this printer`,
        { details },
      );
    case 404:
      return new CodedError(
        'device_unknown',
        `Owl Cloud does not know device ${deviceId}, or its key was revoked (HTTP 404); re-link this printer`,
        { details },
      );
    case 429:
    case 503:
      return retryLaterError(response, details, localNowMs);
    default:
      return new CodedError(
        'token_failed',
        `Token request of device ${deviceId} failed (HTTP ${status}${body ? `: ${body}` : ''})`,
        { details },
      );
  }
}

/** Builds the error of a 429 or 503 response, with the delay its `Retry-After` requests. */
function retryLaterError(
  response: CloudResponse,
  details: { status: number; body: string; deviceId: string },
  localNowMs: number,
): CodedError<TokenErrorCode> {
  const { status, body, deviceId } = details;
  const retryAfterMs = parseRetryAfter(
    response.header('retry-after'),
    localNowMs,
    response.header('date'),
  );
  const next =
    retryAfterMs === undefined
      ? 'try again later'
      : `retry after ${Math.ceil(retryAfterMs / 1000)} s`;
  const withDelay = { ...details, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  if (status === 429) {
    return new CodedError(
      'rate_limited',
      `Owl Cloud is rate limiting token requests of device ${deviceId} (HTTP 429); ${next}`,
      { details: withDelay },
    );
  }
  return new CodedError(
    'cloud_not_ready',
    `Owl Cloud is not ready to issue a token for device ${deviceId} yet (HTTP 503${body ? `: ${body}` : ''}); ${next}`,
    { details: withDelay },
  );
}

function invalidResponse(message: string, cause?: unknown): CodedError<TokenErrorCode> {
  return new CodedError('invalid_response', message, { cause });
}
