import { CodedError } from '../support/coded-error.js';
import { isPermanentPublishFailure } from './mqtt-reason-codes.js';

/**
 * Kinds of publish failure, by what they mean for sending the message again.
 * - `offline`: not connected, or the connection closed before the acknowledgement, so the
 *   message should wait for the next connect.
 * - `rejected`: the broker rejected it with a code that cannot change, such as 135 not authorized.
 * - `transient`: anything else, which may succeed when tried again later.
 */
export type PublishFailureKind = 'offline' | 'rejected' | 'transient';

export function classifyPublishFailure(error: unknown): PublishFailureKind {
  if (!(error instanceof CodedError)) return 'transient';
  if (error.code === 'not_connected') return 'offline';
  if (error.code !== 'publish_failed') return 'transient';
  if (error.details['reason'] === 'connection_closed') return 'offline';

  const reasonCode = error.details['reasonCode'];
  const permanent = typeof reasonCode === 'number' && isPermanentPublishFailure(reasonCode);
  return permanent ? 'rejected' : 'transient';
}
