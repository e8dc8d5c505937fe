import type { Capabilities } from '../moonraker/capability-probe.js';
import type { SensorFilterSettings } from '../telemetry/sensor-filter.js';
import { classifySensor } from '../telemetry/sensor-registry.js';
import { finiteNumber } from '../telemetry/sensor-values.js';
import type { StateReader } from '../telemetry/state-store.js';

/** Klippy's state as Moonraker reports it: `ready`, `startup`, `shutdown`, `error`… */
export interface KlippyFacts {
  state: string;
  /** Klippy's `state_message`, such as the reason of a shutdown; may span several lines. */
  message?: string;
}

export interface TemperatureReading {
  name: string;
  /** Degrees Celsius with one decimal, or null while Klipper has not measured yet. */
  value: number | null;
  target?: number;
}

/**
 * Reads Klippy's state from the live `webhooks` object, which the subscription keeps current.
 * While the last probe found Klippy unavailable, the store may still hold the state from before,
 * so `server.info`'s `klippy_state` of that probe counts instead.
 */
export function klippyFacts(
  store: StateReader,
  capabilities: Capabilities | null,
): KlippyFacts | undefined {
  if (capabilities && !capabilities.klippyAvailable) {
    const info = capabilities.serverInfo;
    return { state: info.klippy_connected ? info.klippy_state : 'disconnected' };
  }
  const webhooks = store.get('webhooks');
  const state = webhooks?.['state'];
  if (typeof state !== 'string') {
    return capabilities ? { state: capabilities.serverInfo.klippy_state } : undefined;
  }
  const message = webhooks?.['state_message'];
  const text = typeof message === 'string' ? message.trim() : '';
  return { state, ...(text ? { message: text } : {}) };
}

/**
 * Lists every heater and temperature sensor of the printer with its value and target, except
 * those the sensor filter denylists. The cloud's caps on custom sensors do not apply to the local view.
 */
export function temperatureReadings(
  store: StateReader,
  filter: Partial<SensorFilterSettings> = {},
): TemperatureReading[] {
  const denied = new Set((filter.denylist ?? []).map((name) => name.trim().toLowerCase()));
  const names = store
    .objectNames()
    .filter((name) => classifySensor(name)?.unit === 'celsius')
    .filter((name) => !denied.has(name.toLowerCase()))
    .sort();
  return names.map((name) => readingOf(name, store.get(name) ?? {}));
}

function readingOf(name: string, fields: Readonly<Record<string, unknown>>): TemperatureReading {
  const temperature = finiteNumber(fields['temperature']);
  const target = finiteNumber(fields['target']);
  return {
    name,
    value: temperature === undefined ? null : Math.round(temperature * 10) / 10,
    ...(target === undefined ? {} : { target }),
  };
}
