import {
  moonrakerError,
  unauthorizedError,
  unreachableError,
  type MoonrakerError,
} from './errors.js';

/** Client-side cause that ended a connection: its owner, the open deadline or the keepalive. */
export type ConnectionEndCause = 'owner' | 'open_timeout' | 'keepalive';

/** Facts known when a websocket closed before its upgrade completed. */
export interface HandshakeOutcome {
  url: string;
  timeoutMs: number;
  timedOut: boolean;
  cancelled: boolean;
  /** HTTP status of a rejected upgrade, such as 401 when authorization is required. */
  status: number | null;
  socketError: Error | null;
  apiKeyConfigured: boolean;
}

/** Converts a failed websocket upgrade into the MoonrakerError that explains it. */
export function handshakeError(outcome: HandshakeOutcome): MoonrakerError {
  const request = `the websocket upgrade at ${outcome.url}`;
  if (outcome.cancelled) {
    return moonrakerError('closed', `Opening the websocket at ${outcome.url} was cancelled.`);
  }
  if (outcome.timedOut) {
    return moonrakerError(
      'timeout',
      `The websocket at ${outcome.url} did not open within ${outcome.timeoutMs} ms.`,
      { details: { timeoutMs: outcome.timeoutMs } },
    );
  }
  if (outcome.status === 401 || outcome.status === 403) {
    return unauthorizedError(outcome.status, request, outcome.apiKeyConfigured);
  }
  if (outcome.status !== null) return rejectedUpgrade(outcome.status, outcome.url);
  return unreachableError(outcome.url, outcome.socketError ?? new Error('closed before opening'));
}

function rejectedUpgrade(status: number, url: string): MoonrakerError {
  const code = status === 404 ? 'not_found' : 'http_error';
  return moonrakerError(
    code,
    `Moonraker answered the websocket upgrade at ${url} with ${status}.`,
    {
      details: { status },
    },
  );
}

/**
 * Converts a JSON-RPC error object into a MoonrakerError. Moonraker uses HTTP status numbers as
 * JSON-RPC error codes, so 401 and 403 mean the same as over HTTP.
 */
export function rpcCallError(
  method: string,
  code: number,
  message: string,
  apiKeyConfigured: boolean,
): MoonrakerError {
  if (code === 401 || code === 403) return unauthorizedError(code, method, apiKeyConfigured);
  const details = { method, rpcCode: code };
  const text = `Moonraker returned error ${code} for ${method}: ${message}`;
  return moonrakerError(code === 404 ? 'not_found' : 'rpc_error', text, { details });
}

export function callTimeoutError(method: string, timeoutMs: number): MoonrakerError {
  return moonrakerError(
    'timeout',
    `Moonraker did not respond to ${method} within ${timeoutMs} ms.`,
    {
      details: { method, timeoutMs },
    },
  );
}

export function callClosedError(method: string, detail: string): MoonrakerError {
  return moonrakerError('closed', `${method} failed because the websocket closed: ${detail}`, {
    details: { method },
  });
}

/** Explains why an open websocket ended, for the availability detail and the health report. */
export function connectionLossError(loss: {
  url: string;
  endedBy: ConnectionEndCause | null;
  socketError: Error | null;
  code: number;
  reason: string;
}): MoonrakerError {
  const { url, code, reason } = loss;
  if (loss.endedBy === 'owner') return moonrakerError('closed', `The client closed ${url}.`);
  if (loss.endedBy === 'keepalive') {
    return moonrakerError('timeout', `The websocket at ${url} stopped responding to pings.`);
  }
  if (loss.socketError) return unreachableError(url, loss.socketError);
  const why = reason ? `${code}, ${reason}` : `${code}`;
  return moonrakerError('closed', `Moonraker closed the websocket at ${url} (${why}).`, {
    details: { closeCode: code },
  });
}
