import { CodedError } from '../support/coded-error.js';

/** Stable codes of the errors the simulator rejects requests with. */
export type ApiErrorCode =
  | 'parse_error'
  | 'invalid_request'
  | 'method_not_found'
  | 'invalid_params'
  | 'bad_request'
  | 'unauthorized'
  | 'not_found'
  | 'method_not_allowed'
  | 'klippy_disconnected'
  | 'internal_error';

/**
 * The number each code is sent with: JSON-RPC's reserved codes for protocol errors, and the HTTP
 * status for the rest, which Moonraker also uses as the JSON-RPC error code.
 */
const ERROR_NUMBERS: Record<ApiErrorCode, number> = {
  parse_error: -32700,
  invalid_request: -32600,
  method_not_found: -32601,
  invalid_params: -32602,
  bad_request: 400,
  unauthorized: 401,
  not_found: 404,
  method_not_allowed: 405,
  klippy_disconnected: 503,
  internal_error: 500,
};

/** A request failure as Moonraker reports it: a code number and a message. */
export class ApiError extends CodedError<ApiErrorCode> {
  constructor(code: ApiErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'ApiError';
  }

  /** The JSON-RPC error code, which equals the HTTP status for errors that are not protocol errors. */
  get number(): number {
    return ERROR_NUMBERS[this.code];
  }

  /** The HTTP status; protocol errors never reach HTTP, so they map to 400. */
  get httpStatus(): number {
    return this.number > 0 ? this.number : 400;
  }
}

/** Moonraker's error for a request that lacks a required argument. */
export function missingArgument(name: string): ApiError {
  return new ApiError('bad_request', `No data for argument: ${name}`);
}

/** Moonraker's error for any printer request while it has no connection to Klippy. */
export function klippyDisconnected(): ApiError {
  return new ApiError('klippy_disconnected', 'Klippy Disconnected');
}

/** Klipper's error for a G-code command that failed, relayed by Moonraker with status 400. */
export function gcodeError(message: string): ApiError {
  return new ApiError('bad_request', message);
}

/** Turns any thrown value into an ApiError, keeping ApiErrors as they are. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ApiError('internal_error', `Internal error: ${message}`, { cause: error });
}
