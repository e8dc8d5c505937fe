import { isoSeconds } from '../../shared/contract/time.js';
import type { StatusPayload } from '../../shared/contract/status.js';

export const DEFAULT_STATUS_HEARTBEAT_SECONDS = 60;

/**
 * Builds the status body that reports the device as offline: the retained MQTT Will (reason
 * `OFFLINE_REASON_WILL`) and the message published on a clean stop (`OFFLINE_REASON_SHUTDOWN`).
 * `lastUpdated` is the build time, because a Will is built before the connection that it covers.
 */
export function buildOfflineStatusPayload(
  reason: string,
  builtAtMs: number,
  heartbeatSeconds = DEFAULT_STATUS_HEARTBEAT_SECONDS,
): StatusPayload {
  return {
    lifecycle: {
      phase: 'Offline',
      isHeating: false,
      hasActiveJob: false,
      isShutdown: false,
      reason,
    },
    cadence: { heartbeatSeconds, watchWindowActive: false },
    lastUpdated: isoSeconds(builtAtMs),
  };
}
