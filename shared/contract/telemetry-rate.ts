import type { SensorMode } from './sensors.js';

/**
 * A validated `control:set-telemetry-rate` request. Times are epoch milliseconds as the cloud sent
 * them (not yet corrected for clock skew). `intervalSeconds` is the current form of the rate and
 * `maxHz` the older one; when both are present `intervalSeconds` wins.
 */
export interface TelemetryRateRequest {
  mode: SensorMode;
  intervalSeconds?: number;
  maxHz?: number;
  durationSeconds?: number;
  issuedAt?: number;
  serverUtcNow?: number;
  expiresAt?: number;
}

/** Result fields of an applied rate, as they go into the ack's `payload.result`. */
export interface TelemetryRateResult {
  mode: SensorMode;
  intervalSeconds: number;
  durationSeconds?: number;
  requestedAtUtc?: string;
  watchWindowExpires?: string;
}
