import { assertNever } from '../support/coded-error.js';

/**
 * `endReason` texts of terminal print events: `completed`, `cancelled` or `cancelled:<message>`,
 * and `error:klippy_shutdown`, `error:klippy_error`, `error:<message>` or `error:unknown`.
 */

export const MAX_REASON_MESSAGE_LENGTH = 120;

export type FailureCause =
  | { kind: 'klippy_shutdown' }
  | { kind: 'klippy_error' }
  | { kind: 'message'; message: string }
  | { kind: 'unknown' };

export const COMPLETED_END_REASON = 'completed';

export function cancelledEndReason(message: string | undefined): string {
  const text = reasonText(message);
  return text ? `cancelled:${text}` : 'cancelled';
}

export function failedEndReason(cause: FailureCause): string {
  switch (cause.kind) {
    case 'klippy_shutdown':
      return 'error:klippy_shutdown';
    case 'klippy_error':
      return 'error:klippy_error';
    case 'message': {
      const text = reasonText(cause.message);
      return text ? `error:${text}` : 'error:unknown';
    }
    case 'unknown':
      return 'error:unknown';
    default:
      return assertNever(cause, 'failure cause');
  }
}

/** Whitespace runs (line breaks included) collapsed to one space, cut to 120 characters. */
export function reasonText(message: string | undefined): string {
  if (!message) return '';
  const collapsed = message.replace(/\s+/g, ' ').trim();
  return [...collapsed].slice(0, MAX_REASON_MESSAGE_LENGTH).join('').trimEnd();
}
