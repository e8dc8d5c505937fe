import { LINK_TIMEOUT_MS } from '../../../shared/contract/device-http.js';
import type { ControlMethodName } from '../../../shared/control-api/methods.js';

/**
 * Time the service may take for one Owl Cloud request after it gave up retrying, on top of the
 * link deadline. It matches the link client's per-request timeout of 30 s.
 */
const LAST_REQUEST_MS = 30_000;

/**
 * Call deadlines for the methods that wait on Owl Cloud. The service retries a link exchange for
 * up to `LINK_TIMEOUT_MS` before it returns its own coded error, so the control call must outlast
 * that, or the UI would report a timeout in place of the service's message.
 */
const LONG_CALL_TIMEOUTS_MS: Partial<Record<ControlMethodName, number>> = {
  'link.withCode': LINK_TIMEOUT_MS + LAST_REQUEST_MS,
  'link.complete': LINK_TIMEOUT_MS + LAST_REQUEST_MS,
};

/** Returns the deadline of `method` in milliseconds, or undefined for the client's default. */
export function callTimeoutMs(method: ControlMethodName): number | undefined {
  return LONG_CALL_TIMEOUTS_MS[method];
}
