import type { ControlErrorCode } from '../../shared/control-api/errors.js';
import { CodedError } from '../support/coded-error.js';

/**
 * Codes of discovery failures. They are control API error codes, so a failed probe or a rejected
 * sweep crosses to the UI with its code unchanged.
 */
export type DiscoveryErrorCode = Extract<
  ControlErrorCode,
  | 'unreachable'
  | 'not_moonraker'
  | 'moonraker_unauthorized'
  | 'invalid_arguments'
  | 'busy'
  | 'not_found'
>;

export type DiscoveryError = CodedError<DiscoveryErrorCode>;

/** Reason a host could not be reached, for messages and for callers that branch on it. */
export type UnreachableReason = 'refused' | 'timeout' | 'host_not_found' | 'no_route' | 'failed';

export function discoveryError(
  code: DiscoveryErrorCode,
  message: string,
  options?: { cause?: unknown; details?: Record<string, unknown> },
): DiscoveryError {
  return new CodedError<DiscoveryErrorCode>(code, message, options);
}

export function invalidArguments(message: string, details?: Record<string, unknown>) {
  return discoveryError('invalid_arguments', message, { details });
}

/** Builds the `unreachable` error whose message names the target and what to check. */
export function unreachableError(
  target: { host: string; port: number },
  reason: UnreachableReason,
  options: { timeoutMs: number; systemCode?: string; cause?: unknown },
): DiscoveryError {
  const address = formatTarget(target);
  const details = { host: target.host, port: target.port, reason, systemCode: options.systemCode };
  return discoveryError('unreachable', unreachableMessage(target, address, reason, options), {
    cause: options.cause,
    details,
  });
}

function unreachableMessage(
  target: { host: string; port: number },
  address: string,
  reason: UnreachableReason,
  options: { timeoutMs: number; systemCode?: string },
): string {
  switch (reason) {
    case 'refused':
      return (
        `Nothing listens on ${address} (connection refused). Check that Moonraker is running ` +
        'and that the port is right: Moonraker listens on 7125 by default.'
      );
    case 'timeout':
      return (
        `No answer from ${target.host} on port ${target.port} within ${options.timeoutMs} ms. ` +
        'Check that the printer is switched on and on the same network as this computer.'
      );
    case 'host_not_found':
      return (
        `Host name "${target.host}" not found. Check the spelling, or enter the ` +
        "printer's IP address instead."
      );
    case 'no_route':
      return (
        `No route to ${target.host}. Check the address and that this computer is connected to ` +
        "the printer's network."
      );
    case 'failed':
      // The system code stays in the details for diagnostics, because people cannot act on it.
      return `Cannot connect to ${address}. Check the address and the port.`;
  }
}

/**
 * Builds the `not_moonraker` error for a host that accepted the connection but did not respond
 * with HTTP, such as an MQTT broker or an SSH server.
 */
export function notHttpError(
  target: { host: string; port: number },
  options: { systemCode?: string; cause?: unknown } = {},
): DiscoveryError {
  const address = formatTarget(target);
  return discoveryError(
    'not_moonraker',
    `${address} answered, but not with HTTP. Is this the Moonraker port? Moonraker listens on ` +
      '7125 by default.',
    {
      cause: options.cause,
      details: { host: target.host, port: target.port, systemCode: options.systemCode },
    },
  );
}

/** Builds the `not_moonraker` error for an HTTP server that is not Moonraker. */
export function notMoonrakerError(
  target: { host: string; port: number },
  observed: string,
): DiscoveryError {
  return discoveryError(
    'not_moonraker',
    `${formatTarget(target)} is not a Moonraker server (${observed}). Is the port right? ` +
      'Moonraker listens on 7125 by default.',
    { details: { host: target.host, port: target.port, observed } },
  );
}

/** `host:port`, with IPv6 addresses in brackets. */
export function formatTarget(target: { host: string; port: number }): string {
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return `${host}:${target.port}`;
}
