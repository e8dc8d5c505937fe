import { isCoreSensor } from './sensor-registry.js';

/**
 * Settings of the sensor filter. Core sensors (bed, part fan,
 * extruders) are always reported unless denylisted. Any other sensor needs to be allowlisted and
 * counts against two caps that the cloud normally sets per subscription tier.
 */
export interface SensorFilterSettings {
  /** Full object names, such as `temperature_sensor chamber`, matched without regard to case. */
  allowlist: readonly string[];
  denylist: readonly string[];
  /** Maximum number of non-core sensors. */
  maxCustomSensors: number;
  /** Maximum number of sensors in total, but core sensors are kept even above it. */
  maxSensorCount: number;
}

export const DEFAULT_SENSOR_FILTER: Readonly<SensorFilterSettings> = Object.freeze({
  allowlist: [],
  denylist: [],
  maxCustomSensors: 0,
  maxSensorCount: 6,
});

/**
 * Fills in defaults and repairs invalid caps (negative, fractional or not a number) so that the
 * filter always works with whole, non-negative limits.
 */
export function resolveSensorFilterSettings(
  partial: Partial<SensorFilterSettings> = {},
): SensorFilterSettings {
  return {
    allowlist: [...(partial.allowlist ?? DEFAULT_SENSOR_FILTER.allowlist)],
    denylist: [...(partial.denylist ?? DEFAULT_SENSOR_FILTER.denylist)],
    maxCustomSensors: wholeCount(partial.maxCustomSensors, DEFAULT_SENSOR_FILTER.maxCustomSensors),
    maxSensorCount: wholeCount(partial.maxSensorCount, DEFAULT_SENSOR_FILTER.maxSensorCount),
  };
}

function wholeCount(value: number | undefined, fallback: number): number {
  if (value === undefined || !Number.isFinite(value) || value < 0) return fallback;
  return Math.floor(value);
}

/** Klipper object names differ from allowlist entries at most in case and spacing. */
function normalizeName(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * Returns the object names to report, from the names of objects that have a sensor type. Custom
 * sensors are kept in allowlist order, so when a cap cuts the list, the entries listed first win.
 */
export function selectSensors(
  candidates: Iterable<string>,
  settings: SensorFilterSettings,
): string[] {
  const denied = new Set(settings.denylist.map(normalizeName));
  const allowed = settings.allowlist.map(normalizeName);
  const core: string[] = [];
  const custom: string[] = [];

  for (const name of candidates) {
    const key = normalizeName(name);
    if (denied.has(key)) continue;
    if (isCoreSensor(name)) core.push(name);
    else if (allowed.includes(key)) custom.push(name);
  }

  custom.sort((a, b) => allowed.indexOf(normalizeName(a)) - allowed.indexOf(normalizeName(b)));
  const room = Math.max(0, settings.maxSensorCount - core.length);
  const customCount = Math.min(settings.maxCustomSensors, room);
  return [...core, ...custom.slice(0, customCount)];
}
