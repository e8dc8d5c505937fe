import { COMMAND_REQUEST_TYPE } from '../../shared/contract/commands.js';
import { isoSeconds } from '../../shared/contract/time.js';

/** Command requests in the two formats a device accepts, as JSON text. */

/** Builds a request in the current format: a `command.request` envelope with `payload`. */
export function envelopeRequest(
  deviceId: string,
  commandId: string,
  command: string,
  parameters: Record<string, unknown> = {},
): string {
  return JSON.stringify({
    $v: 1,
    $type: COMMAND_REQUEST_TYPE,
    $id: commandId,
    $ts: isoSeconds(Date.now()),
    $origin: 'cloud-service@1.0',
    deviceId,
    payload: { command, parameters },
  });
}

/** Builds a request in the older flat format with `commandId`, `command` and `parameters`. */
export function legacyRequest(
  commandId: string,
  command: string,
  parameters: Record<string, unknown> = {},
): string {
  return JSON.stringify({ commandId, command, parameters });
}
