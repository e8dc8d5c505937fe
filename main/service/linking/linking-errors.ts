import type { ControlErrorCode } from '../../../shared/control-api/errors.js';
import { CodedError, errorMessage } from '../../support/coded-error.js';

const LINKING_ERROR_CODES = [
  'invalid_arguments',
  'not_found',
  'busy',
  'already_linked',
  'link_failed',
  'link_expired',
  'link_state_invalid',
  'code_used',
  'cloud_unreachable',
] as const satisfies readonly ControlErrorCode[];

/** Codes of the control API that linking raises. */
export type LinkingErrorCode = (typeof LINKING_ERROR_CODES)[number];

const linkingCodes: ReadonlySet<string> = new Set(LINKING_ERROR_CODES);

export type LinkingError = CodedError<LinkingErrorCode>;

export function linkingError(
  code: LinkingErrorCode,
  message: string,
  options?: { cause?: unknown; details?: Record<string, unknown> },
): LinkingError {
  return new CodedError(code, message, options);
}

/** Checks that `error` is a CodedError with a linking code, or with `code` when one is given. */
export function isLinkingError(error: unknown, code?: LinkingErrorCode): error is LinkingError {
  if (!(error instanceof CodedError)) return false;
  return code === undefined ? linkingCodes.has(error.code) : error.code === code;
}

/** Messages for link rejections by HTTP status, worded for the person who pasted the code. */
const REJECTION_MESSAGES: Readonly<Record<number, [LinkingErrorCode, string]>> = {
  400: [
    'invalid_arguments',
    'Owl Cloud rejected this link code as invalid; copy the code again from Owl Web',
  ],
  422: [
    'invalid_arguments',
    'Owl Cloud rejected this link code as invalid; copy the code again from Owl Web',
  ],
  409: [
    'code_used',
    'This link code was already used or its printer is already linked; create a new one in Owl Web',
  ],
  410: ['link_expired', 'This link code expired; create a new one in Owl Web'],
};

/**
 * Turns a failure of the link client into a control API error. The link client's codes are
 * `invalid_link_code`, `link_timeout`, `link_rejected` (with the HTTP status in details),
 * `link_cancelled`, `invalid_response`, `cloud_unreachable` and `invalid_base_url`. Errors that
 * already carry a linking code pass through unchanged.
 */
export function translateLinkFailure(error: unknown): LinkingError {
  if (!(error instanceof CodedError)) {
    return linkingError('link_failed', `Linking failed: ${errorMessage(error)}`, { cause: error });
  }

  const details = { ...error.details };
  switch (error.code) {
    case 'invalid_link_code':
      return linkingError('invalid_arguments', error.message, { cause: error, details });
    case 'cloud_unreachable':
      return linkingError('cloud_unreachable', error.message, { cause: error, details });
    case 'link_rejected':
      return rejection(error, details);
    case 'link_timeout':
    case 'link_cancelled':
    case 'invalid_response':
    case 'invalid_base_url':
      return linkingError('link_failed', error.message, { cause: error, details });
    default:
      return isLinkingError(error)
        ? error
        : linkingError('link_failed', error.message, { cause: error });
  }
}

function rejection(error: CodedError, details: Record<string, unknown>): LinkingError {
  const status = typeof details['status'] === 'number' ? details['status'] : undefined;
  const known = status === undefined ? undefined : REJECTION_MESSAGES[status];
  if (!known) return linkingError('link_failed', error.message, { cause: error, details });
  return linkingError(known[0], known[1], { cause: error, details });
}
