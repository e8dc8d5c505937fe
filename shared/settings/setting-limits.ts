import { z } from 'zod';

/**
 * Ranges of the duration settings and sizes of the list and text settings, shared by
 * `settings.json`, the TOML configuration of `start` and the telemetry cadence. Every duration
 * ends up in a timer, so each has a maximum well below Node's timer limit of 2^31 − 1 ms
 * (about 24.8 days).
 */

/** An inclusive range of seconds. */
export interface SecondsRange {
  readonly min: number;
  readonly max: number;
}

/**
 * Sensors interval outside a watch window. It is at least the 1 s that a watch window reports
 * at most, so that idle never reports more often than watching, and at most one hour.
 */
export const SENSORS_INTERVAL_SECONDS: SecondsRange = { min: 1, max: 3600 };

/** Shortest sensors interval of a watch window. A watch window reports at least once a second. */
export const SENSORS_MIN_INTERVAL_SECONDS: SecondsRange = { min: 0.1, max: 1 };

/** Interval after which an unchanged status is sent again. */
export const STATUS_HEARTBEAT_SECONDS: SecondsRange = { min: 1, max: 3600 };

/** Minimum time between two status publishes. */
export const STATUS_MIN_INTERVAL_SECONDS: SecondsRange = { min: 0, max: 60 };

/** MQTT session expiry interval requested from the broker, at most one week. */
export const SESSION_EXPIRY_SECONDS: SecondsRange = { min: 0, max: 7 * 24 * 3600 };

/** Wait between MQTT connect attempts once the doubling phase is over. */
export const RECONNECT_PERPETUAL_SECONDS: SecondsRange = { min: 60, max: 3600 };

/** Maximum number of printers in the settings, far above the 200 that the benchmark runs. */
export const MAX_PRINTERS = 1000;

/** Maximum number of entries of the sensor allowlist and of the denylist. */
export const MAX_SENSOR_LIST_ENTRIES = 100;

/** Maximum length of one sensor list entry, a Klipper object name such as `temperature_sensor x`. */
export const MAX_SENSOR_NAME_LENGTH = 128;

/** Maximum length of a URL setting, as for a Moonraker URL of the control API. */
export const MAX_URL_LENGTH = 2048;

/** Maximum length of the other text settings: ids, timestamps and addresses. */
export const MAX_TEXT_SETTING_LENGTH = 256;

/**
 * Builds the schema of a duration in seconds that must lie in `range`, rejecting any value
 * outside it with a message such as `must be between 1 and 3600 seconds`.
 */
export function secondsSchema(range: SecondsRange): z.ZodNumber {
  const message = `must be between ${range.min} and ${range.max} seconds`;
  return z.number().min(range.min, { error: message }).max(range.max, { error: message });
}

/**
 * Builds the schema of a list of sensor object names with the list and entry limits. An entry is
 * never empty and has no control characters, because no Klipper object name has them.
 */
export function sensorListSchema(): z.ZodArray<z.ZodString> {
  return z
    .array(
      z
        .string()
        .min(1, 'must not be empty')
        .max(MAX_SENSOR_NAME_LENGTH, `must be at most ${MAX_SENSOR_NAME_LENGTH} characters`)
        .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters'),
    )
    .max(MAX_SENSOR_LIST_ENTRIES, `must have at most ${MAX_SENSOR_LIST_ENTRIES} entries`);
}

/** Clamps a finite number of seconds into `range`. */
export function clampSeconds(seconds: number, range: SecondsRange): number {
  return Math.min(range.max, Math.max(range.min, seconds));
}
