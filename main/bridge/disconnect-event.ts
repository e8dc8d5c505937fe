import { v7 } from 'uuid';

import { DISCONNECT_EVENT_TYPE, originOf } from '../../shared/contract/envelope.js';
import type { DeviceIdentity } from '../../shared/contract/envelope.js';
import type { DisconnectCause } from '../../shared/contract/events.js';
import { isoSeconds } from '../../shared/contract/time.js';

/** Version of the disconnect event envelope, which the cloud reads separately from telemetry. */
const DISCONNECT_EVENT_VERSION = 2;

/**
 * Builds the message sent on `events/disconnect` after a reconnect that followed an unexpected
 * drop, so the cloud can tell an outage from a planned token-renewal reconnect.
 */
export function buildDisconnectEvent(options: {
  identity: DeviceIdentity;
  version: string;
  droppedAt: number;
  cause: DisconnectCause;
  reasonCode: number;
  now: number;
}): Record<string, unknown> {
  return {
    $v: DISCONNECT_EVENT_VERSION,
    $type: DISCONNECT_EVENT_TYPE,
    $id: v7({ msecs: options.now }),
    $ts: isoSeconds(options.now),
    $origin: originOf(options.version),
    deviceId: options.identity.deviceId,
    ...(options.identity.tenantId ? { tenantId: options.identity.tenantId } : {}),
    ...(options.identity.printerId ? { printerId: options.identity.printerId } : {}),
    payload: {
      at: isoSeconds(options.droppedAt),
      cause: options.cause,
      reasonCode: options.reasonCode,
      willReconnect: true,
    },
  };
}
