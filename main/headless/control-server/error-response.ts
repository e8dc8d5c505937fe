import { isControlErrorCode, type ControlErrorData } from '../../../shared/control-api/errors.js';
import { CodedError } from '../../support/coded-error.js';
import type { Logger } from '../../support/logger.js';

/**
 * Turns what a control method threw into error data for the client. A `CodedError` with a code
 * of the control API passes through with its message and details. Anything else is logged with
 * its stack and becomes `internal` with a message that reveals nothing about the service.
 */
export function toControlErrorData(
  error: unknown,
  method: string,
  logger: Logger,
): ControlErrorData {
  if (error instanceof CodedError && isControlErrorCode(error.code)) {
    logger.debug({ method, code: error.code }, 'control method failed');
    const details = Object.keys(error.details).length > 0 ? { details: { ...error.details } } : {};
    return { code: error.code, message: error.message, ...details };
  }
  logger.error({ err: error, method }, 'control method threw an unexpected error');
  return internalError(method);
}

export function internalError(method: string): ControlErrorData {
  return {
    code: 'internal',
    message: `${method} failed because of an internal error. See the service log for details`,
  };
}
