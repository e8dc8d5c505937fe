import type { ControlErrorCode, ControlErrorData } from './errors.js';

/**
 * Codes that only a client raises, never the service: the call got no response in time, the
 * connection was not open or dropped before the response, or the response did not match the
 * contract.
 */
export const CONTROL_CLIENT_ERROR_CODES = ['timeout', 'disconnected', 'invalid_response'] as const;
export type ControlClientErrorCode = (typeof CONTROL_CLIENT_ERROR_CODES)[number];

/** Origin of a control error: the service's response, or the client itself. */
export type ControlErrorSource = 'service' | 'client';

/** A failed control call, as the service reported it or as the client detected it. */
export class ControlError extends Error {
  readonly code: ControlErrorCode | ControlClientErrorCode;
  readonly details: Readonly<Record<string, unknown>>;
  readonly source: ControlErrorSource;

  constructor(
    code: ControlErrorCode | ControlClientErrorCode,
    message: string,
    options: { details?: Record<string, unknown>; source?: ControlErrorSource } = {},
  ) {
    super(message);
    this.name = 'ControlError';
    this.code = code;
    this.details = Object.freeze({ ...options.details });
    this.source = options.source ?? 'client';
  }

  /** Rebuilds the error that the service sent as data. */
  static fromData(data: ControlErrorData): ControlError {
    return new ControlError(data.code, data.message, { details: data.details, source: 'service' });
  }
}
