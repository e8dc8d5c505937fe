import { CodedError, errorMessage } from '../support/coded-error.js';
import type { MoonrakerErrorCode } from './input.js';

/** A failure of a Moonraker call, with a stable code and a message a user can act on. */
export type MoonrakerError = CodedError<MoonrakerErrorCode>;

const ERROR_CODES: ReadonlySet<string> = new Set<MoonrakerErrorCode>([
  'timeout',
  'unreachable',
  'unauthorized',
  'not_found',
  'http_error',
  'rpc_error',
  'invalid_response',
  'closed',
  'invalid_url',
]);

/** Node and undici error codes that mean the host could not be reached or the link broke. */
const UNREACHABLE_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ETIMEDOUT',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CLOSED',
]);

export function moonrakerError(
  code: MoonrakerErrorCode,
  message: string,
  options?: { cause?: unknown; details?: Record<string, unknown> },
): MoonrakerError {
  return new CodedError<MoonrakerErrorCode>(code, message, options);
}

export function isMoonrakerError(error: unknown): error is MoonrakerError {
  return error instanceof CodedError && ERROR_CODES.has(error.code);
}

/**
 * Builds the error for an HTTP 401/403 or a JSON-RPC authorization error. Moonraker rejects a
 * request when the API key is wrong, or when no key was sent and the client's address is not in
 * `trusted_clients`, so the message names the case that applies.
 */
export function unauthorizedError(
  status: number,
  request: string,
  apiKeyConfigured: boolean,
): MoonrakerError {
  const message = apiKeyConfigured
    ? `Moonraker rejected the API key (${status}) for ${request}. ` +
      'Check the API key configured for this printer against Moonraker.'
    : `Moonraker requires authorization (${status}) for ${request}: no API key is configured ` +
      'and this computer is not in trusted_clients. Add its address to trusted_clients in the ' +
      '[authorization] section of moonraker.conf, or configure an API key.';
  return moonrakerError('unauthorized', message, { details: { status, apiKeyConfigured } });
}

/** Finds the first `code` string on an error or its `cause` chain, such as `ECONNREFUSED`. */
export function systemErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = current.cause;
  }
  return undefined;
}

/**
 * Converts a socket-level failure into an `unreachable` error. Errors without a known system
 * code are reported as unreachable too, because the request never produced a response.
 */
export function unreachableError(target: string, error: unknown): MoonrakerError {
  const code = systemErrorCode(error);
  const reason = code && UNREACHABLE_CODES.has(code) ? code : deepestMessage(error);
  return moonrakerError('unreachable', `Cannot reach Moonraker at ${target} (${reason}).`, {
    cause: error,
    details: code ? { systemCode: code } : {},
  });
}

function deepestMessage(error: unknown): string {
  let current: unknown = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return errorMessage(current);
}

/** Wraps anything thrown into a MoonrakerError, keeping coded errors as they are. */
export function asMoonrakerError(error: unknown, fallback: MoonrakerErrorCode): MoonrakerError {
  if (isMoonrakerError(error)) return error;
  return moonrakerError(fallback, errorMessage(error), { cause: error });
}
