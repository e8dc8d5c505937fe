import { CodedError, errorMessage } from '../support/coded-error.js';
import { connectReasonCode } from './mqtt-connect-attempt.js';

/**
 * Why the last connect attempt of a device failed, for health reports. `code` is the attempt's
 * error code: `connect_refused` (with the CONNACK `reasonCode`), `connect_timeout` or
 * `connect_failed`, or a token error such as `device_unknown`, `token_rejected` or
 * `cloud_unreachable` when no token could be obtained.
 */
export interface ConnectFailure {
  code: string;
  message: string;
  reasonCode?: number;
  /** Wall-clock epoch milliseconds. */
  at: number;
}

export function connectFailureOf(error: unknown, at: number): ConnectFailure {
  const code = error instanceof CodedError ? error.code : 'connect_failed';
  const reasonCode = connectReasonCode(error);
  return {
    code,
    message: errorMessage(error),
    ...(reasonCode === undefined ? {} : { reasonCode }),
    at,
  };
}
