import {
  clampSeconds,
  SENSORS_INTERVAL_SECONDS,
  SENSORS_MIN_INTERVAL_SECONDS,
  STATUS_HEARTBEAT_SECONDS,
  STATUS_MIN_INTERVAL_SECONDS,
  type SecondsRange,
} from '../../shared/settings/setting-limits.js';

/**
 * When a channel body may be published: the schedule of each channel and the decision for one
 * offered body. Pure functions on millisecond times, so the controller only handles timers.
 */

export type CadenceChannel = 'status' | 'sensors' | 'events' | 'objects';

export const CADENCE_CHANNELS: readonly CadenceChannel[] = [
  'status',
  'sensors',
  'events',
  'objects',
];

export interface CadenceSettings {
  /** Minimum time between two status publishes (`statusMinIntervalSeconds`). */
  statusMinIntervalSeconds: number;
  /** An unchanged status is sent again after this long (`status_heartbeat_seconds`). */
  statusHeartbeatSeconds: number;
  /** Current sensors interval from the rate control: idle 30 s by default, at most 1 s in watch. */
  sensorsIntervalSeconds: number;
  objectsMinIntervalSeconds: number;
}

export const DEFAULT_CADENCE_SETTINGS: Readonly<CadenceSettings> = Object.freeze({
  statusMinIntervalSeconds: 2,
  statusHeartbeatSeconds: 60,
  sensorsIntervalSeconds: 30,
  objectsMinIntervalSeconds: 1,
});

/**
 * Range of each cadence setting. The status ranges are those of the configuration. The sensors
 * interval is the current rate, so it reaches from the shortest watch interval to the longest
 * idle interval.
 */
export const CADENCE_LIMITS: Readonly<Record<keyof CadenceSettings, SecondsRange>> = Object.freeze({
  statusMinIntervalSeconds: STATUS_MIN_INTERVAL_SECONDS,
  statusHeartbeatSeconds: STATUS_HEARTBEAT_SECONDS,
  sensorsIntervalSeconds: {
    min: SENSORS_MIN_INTERVAL_SECONDS.min,
    max: SENSORS_INTERVAL_SECONDS.max,
  },
  objectsMinIntervalSeconds: { min: 0, max: 60 },
});

/**
 * Fills in the settings: a missing or non-finite value keeps the one of `base`, and a finite
 * value outside its range in CADENCE_LIMITS is clamped to the nearest end of the range. The
 * configuration schemas reject such values first, so clamping only guards the timers.
 */
export function resolveCadenceSettings(
  partial: Partial<CadenceSettings> = {},
  base: Readonly<CadenceSettings> = DEFAULT_CADENCE_SETTINGS,
): CadenceSettings {
  const pick = (key: keyof CadenceSettings): number => {
    const value = partial[key];
    if (value === undefined || !Number.isFinite(value)) return base[key];
    return clampSeconds(value, CADENCE_LIMITS[key]);
  };
  return {
    statusMinIntervalSeconds: pick('statusMinIntervalSeconds'),
    statusHeartbeatSeconds: pick('statusHeartbeatSeconds'),
    sensorsIntervalSeconds: pick('sensorsIntervalSeconds'),
    objectsMinIntervalSeconds: pick('objectsMinIntervalSeconds'),
  };
}

export interface ChannelSchedule {
  /** False for events, which are published the moment they are offered. */
  throttled: boolean;
  minIntervalMs: number;
  heartbeatMs?: number;
  /** A changed body older than this is published regardless of the min interval. */
  forcePublishAfterMs?: number;
}

export function scheduleFor(channel: CadenceChannel, settings: CadenceSettings): ChannelSchedule {
  switch (channel) {
    case 'status':
      return {
        throttled: true,
        minIntervalMs: settings.statusMinIntervalSeconds * 1000,
        heartbeatMs: settings.statusHeartbeatSeconds * 1000,
      };
    case 'sensors': {
      const interval = settings.sensorsIntervalSeconds;
      return {
        throttled: true,
        minIntervalMs: interval * 1000,
        forcePublishAfterMs: Math.max(300, 5 * interval) * 1000,
      };
    }
    case 'objects':
      return { throttled: true, minIntervalMs: settings.objectsMinIntervalSeconds * 1000 };
    case 'events':
      return { throttled: false, minIntervalMs: 0 };
  }
}

/** Per-channel record of the last publish. */
export interface ChannelCadenceState {
  lastPublishAt?: number;
  publishedKey?: string;
  /** Publish the next body even when unchanged (first after a reset, heartbeat, `forceNext`). */
  forced: boolean;
}

export type PublishReason = 'immediate' | 'first' | 'changed' | 'forced' | 'stale';

export type CadenceDecision =
  | { action: 'publish'; reason: PublishReason }
  | { action: 'defer'; delayMs: number }
  | { action: 'drop' };

/**
 * Returns how long a channel whose body may have changed can wait before the body has to be
 * built, in milliseconds: 0 when `decideOffer` could publish a changed body now. A body built
 * earlier would only be deferred to the end of the min interval.
 */
export function buildDelayMs(
  state: Readonly<ChannelCadenceState>,
  schedule: ChannelSchedule,
  nowMs: number,
): number {
  if (!schedule.throttled || state.lastPublishAt === undefined) return 0;

  const elapsed = nowMs - state.lastPublishAt;
  if (schedule.forcePublishAfterMs !== undefined && elapsed >= schedule.forcePublishAfterMs) {
    return 0;
  }
  return Math.max(0, schedule.minIntervalMs - elapsed);
}

/**
 * Decides what happens to a body with `changeKey` offered at `nowMs` (monotonic). An unchanged
 * body is dropped unless forced. A forced or changed body inside the min interval is deferred to
 * the end of the interval, so the trailing edge carries the latest body.
 */
export function decideOffer(
  state: Readonly<ChannelCadenceState>,
  schedule: ChannelSchedule,
  changeKey: string,
  nowMs: number,
): CadenceDecision {
  if (!schedule.throttled) return { action: 'publish', reason: 'immediate' };

  const changed = state.publishedKey !== changeKey;
  if (!changed && !state.forced) return { action: 'drop' };
  if (state.lastPublishAt === undefined) return { action: 'publish', reason: 'first' };

  const elapsed = nowMs - state.lastPublishAt;
  // The limit is at least five intervals, so a body this old passes the min-interval check too.
  // The rule is kept so that the bypass still holds if the limit is ever configured separately.
  if (changed && schedule.forcePublishAfterMs !== undefined) {
    if (elapsed >= schedule.forcePublishAfterMs) return { action: 'publish', reason: 'stale' };
  }
  if (elapsed < schedule.minIntervalMs) {
    return { action: 'defer', delayMs: schedule.minIntervalMs - elapsed };
  }
  return { action: 'publish', reason: changed ? 'changed' : 'forced' };
}
