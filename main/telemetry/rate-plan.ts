import type { SensorMode } from '../../shared/contract/sensors.js';
import type { TelemetryRateRequest } from '../../shared/contract/telemetry-rate.js';
import { assertNever } from '../support/coded-error.js';

/** Limits of the sensors rate. */
export interface RateSettings {
  /** Sensors interval outside a watch window (`telemetry.sensors_interval_seconds`). */
  idleIntervalSeconds: number;
  /** Shortest sensors interval (`telemetry_cadence.sensors_min_interval_seconds`). */
  sensorsMinIntervalSeconds: number;
  /**
   * Maximum watch window length. A watch request without a duration gets this one, so a
   * forgotten window still ends. Four hours is a chosen cap, long enough to watch most prints.
   */
  maxWatchDurationSeconds: number;
}

export const DEFAULT_RATE_SETTINGS: Readonly<RateSettings> = Object.freeze({
  idleIntervalSeconds: 30,
  sensorsMinIntervalSeconds: 0.5,
  maxWatchDurationSeconds: 4 * 60 * 60,
});

/** A watch window never reports sensors less often than once a second. */
export const WATCH_MAX_INTERVAL_SECONDS = 1;

export interface SensorsRate {
  mode: SensorMode;
  intervalSeconds: number;
  /** Local wall-clock epoch milliseconds at which a watch window ends. */
  expiresAt?: number;
}

export interface RatePlan {
  rate: SensorsRate;
  /** Length of the applied watch window in whole seconds, rounded up. */
  durationSeconds?: number;
  /** Expiry as the result reports it: the request's own `expiresAt` when that is what applies. */
  reportedExpiry?: number;
  /** A watch was requested but its window had already ended, so the rate is idle. */
  expiredOnArrival: boolean;
}

export function idleRate(settings: RateSettings): SensorsRate {
  const interval = Math.max(settings.sensorsMinIntervalSeconds, settings.idleIntervalSeconds);
  return { mode: 'idle', intervalSeconds: interval };
}

/**
 * Turns a rate request into the rate to apply at local time `nowMs`. Server times are moved onto
 * the local clock by `localNow − serverUtcNow`, so a skewed server clock does not shorten or
 * stretch the window. A window never starts after `nowMs`, so it ends at most
 * `maxWatchDurationSeconds` from now, also for an `issuedAt` far in the future.
 */
export function planRate(
  request: TelemetryRateRequest,
  nowMs: number,
  settings: RateSettings,
): RatePlan {
  switch (request.mode) {
    case 'idle':
      return { rate: idleRate(settings), expiredOnArrival: false };
    case 'watch':
      return planWatch(request, nowMs, settings);
    default:
      return assertNever(request.mode, 'sensors mode');
  }
}

function planWatch(request: TelemetryRateRequest, nowMs: number, settings: RateSettings): RatePlan {
  const serverNow = finite(request.serverUtcNow);
  const issuedAt = finite(request.issuedAt);
  const offset = serverNow === undefined ? 0 : nowMs - serverNow;
  const requestedAt = issuedAt === undefined ? nowMs : Math.min(nowMs, issuedAt + offset);
  const capMs = settings.maxWatchDurationSeconds * 1000;
  const requestedMs = requestedWindowMs(request, offset, requestedAt);
  const windowMs = Math.min(requestedMs ?? capMs, capMs);
  const expiresAt = requestedAt + windowMs;

  if (windowMs <= 0 || expiresAt <= nowMs) {
    return { rate: idleRate(settings), expiredOnArrival: true };
  }
  const requestedExpiry = finite(request.expiresAt);
  const capped = requestedMs === undefined || requestedMs > capMs;
  return {
    rate: { mode: 'watch', intervalSeconds: watchInterval(request, settings), expiresAt },
    durationSeconds: Math.ceil(windowMs / 1000),
    reportedExpiry: requestedExpiry !== undefined && !capped ? requestedExpiry : expiresAt,
    expiredOnArrival: false,
  };
}

/** Returns the window length from `expiresAt` (which wins) or `durationSeconds`, if either. */
function requestedWindowMs(
  request: TelemetryRateRequest,
  offset: number,
  requestedAt: number,
): number | undefined {
  const expiresAt = finite(request.expiresAt);
  if (expiresAt !== undefined) return expiresAt + offset - requestedAt;
  const duration = positive(request.durationSeconds);
  return duration === undefined ? undefined : duration * 1000;
}

/** Returns the watch interval from `intervalSeconds` or else `maxHz`, between floor and 1 s. */
function watchInterval(request: TelemetryRateRequest, settings: RateSettings): number {
  const maxHz = positive(request.maxHz);
  const candidate =
    positive(request.intervalSeconds) ?? (maxHz === undefined ? undefined : 1 / maxHz);
  const capped = Math.min(candidate ?? WATCH_MAX_INTERVAL_SECONDS, WATCH_MAX_INTERVAL_SECONDS);
  return Math.max(settings.sensorsMinIntervalSeconds, capped);
}

function positive(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : undefined;
}

function finite(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) ? value : undefined;
}
