import { CodedError } from '../support/coded-error.js';
import { TOKEN_ERROR_CODES, type TokenErrorCode } from './token-client.js';

/**
 * A failed token request that is likely to succeed when repeated later: HTTP 503 (Owl Cloud is
 * not ready for the device yet), 429 (rate limiting) or another 5xx status. Every other failure,
 * such as a rejected key (401, 403) or an unknown device (404), lasts until someone acts.
 */
export interface TransientTokenFailure {
  status: number;
  /** Delay that the server requested with `Retry-After`, in milliseconds, at most 5 minutes. */
  retryAfterMs?: number;
  /** One sentence for a log line, without the device id or the response body. */
  summary: string;
}

const TOKEN_CODES: ReadonlySet<string> = new Set<TokenErrorCode>(TOKEN_ERROR_CODES);

/** Checks whether `error` comes from a token request, in which case no CONNECT went out. */
export function isTokenRequestFailure(error: unknown): error is CodedError<TokenErrorCode> {
  return error instanceof CodedError && TOKEN_CODES.has(error.code);
}

/** Returns the transient failure that `error` reports, or undefined for any other error. */
export function transientTokenFailureOf(error: unknown): TransientTokenFailure | undefined {
  if (!isTokenRequestFailure(error)) return undefined;
  const status = error.details['status'];
  if (typeof status !== 'number') return undefined;

  const summary = transientSummary(error.code, status);
  if (summary === undefined) return undefined;
  const retryAfterMs = error.details['retryAfterMs'];
  return typeof retryAfterMs === 'number' ? { status, retryAfterMs, summary } : { status, summary };
}

function transientSummary(code: TokenErrorCode, status: number): string | undefined {
  if (code === 'cloud_not_ready')
    return `Owl Cloud is not ready for this device yet (HTTP ${status})`;
  if (code === 'rate_limited') {
    return `Owl Cloud is rate limiting the token requests of this device (HTTP ${status})`;
  }
  if (code === 'token_failed' && status >= 500) {
    return `Owl Cloud failed to issue a token for this device (HTTP ${status})`;
  }
  return undefined;
}
