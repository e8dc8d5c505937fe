import type { SENSOR_TYPES, SENSOR_UNITS } from '../../shared/contract/sensors.js';
import {
  finiteNumber,
  flagValue,
  floorTemperature,
  fractionToPercent,
  isHeaterHeating,
  ledBrightnessPercent,
} from './sensor-values.js';

/**
 * Sensor type registry: the Klipper printer objects that the sensors channel reports, their type
 * and unit, and how each object's fields turn into a reading.
 */

export type SensorType = (typeof SENSOR_TYPES)[number];
export type SensorUnit = (typeof SENSOR_UNITS)[number];

type ObjectFields = Readonly<Record<string, unknown>>;

export interface SensorReading {
  value: number | null;
  target?: number;
  isHeating?: boolean;
  pwm?: boolean;
}

export interface SensorKind {
  type: SensorType;
  unit: SensorUnit;
  /** Builds the reading from the object's status fields and its config section, when known. */
  read(fields: ObjectFields, config: ObjectFields | undefined): SensorReading;
}

const HEATER: SensorKind = {
  type: 'heater',
  unit: 'celsius',
  read(fields) {
    const temperature = finiteNumber(fields['temperature'] ?? fields['value']);
    const target = finiteNumber(fields['target']);
    const reading: SensorReading = { value: floorTemperature(temperature) };
    if (target !== undefined) reading.target = Math.floor(target);
    reading.isHeating = isHeaterHeating(temperature, target);
    return reading;
  },
};

const TEMPERATURE_SENSOR: SensorKind = {
  type: 'sensor',
  unit: 'celsius',
  read: (fields) => ({ value: floorTemperature(fields['temperature']) }),
};

const TEMPERATURE_FAN: SensorKind = {
  type: 'temperatureFan',
  unit: 'celsius',
  read(fields) {
    const target = finiteNumber(fields['target']);
    const reading: SensorReading = { value: floorTemperature(fields['temperature']) };
    if (target !== undefined) reading.target = Math.floor(target);
    return reading;
  },
};

const FAN: SensorKind = {
  type: 'fan',
  unit: 'percent',
  read: (fields) => ({ value: fractionToPercent(fields['speed']) }),
};

const CONTROLLER_FAN: SensorKind = { ...FAN, type: 'controllerFan' };

const LED: SensorKind = {
  type: 'led',
  unit: 'brightness',
  read: (fields) => ({ value: ledBrightnessPercent(fields['color_data']) }),
};

const FILAMENT_SENSOR: SensorKind = {
  type: 'filamentSensor',
  unit: 'boolean',
  read: (fields) => ({ value: flagValue(fields['filament_detected']) }),
};

/**
 * Klipper's `output_pin` status has only `value`. Whether the pin is PWM comes from the `pwm`
 * option of its config section, so the flag is left out while `configfile` is unknown.
 */
const OUTPUT_PIN: SensorKind = {
  type: 'outputPin',
  unit: 'percent',
  read(fields, config) {
    const reading: SensorReading = { value: fractionToPercent(fields['value']) };
    const pwm = config?.['pwm'];
    if (typeof pwm === 'boolean') reading.pwm = pwm;
    return reading;
  },
};

const EXACT_NAMES: ReadonlyMap<string, SensorKind> = new Map([
  ['heater_bed', HEATER],
  ['fan', FAN],
]);

/** Object types that Klipper names `<type> <name>`, such as `temperature_sensor chamber`. */
const NAMED_TYPES: ReadonlyMap<string, SensorKind> = new Map([
  ['heater_generic', HEATER],
  ['temperature_sensor', TEMPERATURE_SENSOR],
  ['temperature_fan', TEMPERATURE_FAN],
  ['fan_generic', FAN],
  ['heater_fan', CONTROLLER_FAN],
  ['controller_fan', CONTROLLER_FAN],
  ['neopixel', LED],
  ['dotstar', LED],
  ['led', LED],
  ['filament_switch_sensor', FILAMENT_SENSOR],
  ['filament_motion_sensor', FILAMENT_SENSOR],
  ['output_pin', OUTPUT_PIN],
]);

/**
 * Extruders are `extruder`, `extruder1`, `extruder2`… A bare `extruder` prefix would also catch
 * `extruder_stepper <name>`, which has no temperature.
 */
const EXTRUDER_NAME = /^extruder\d*$/;

/** Returns how the sensors channel reports a printer object, or undefined when it does not. */
export function classifySensor(objectName: string): SensorKind | undefined {
  if (EXTRUDER_NAME.test(objectName)) return HEATER;

  const exact = EXACT_NAMES.get(objectName);
  if (exact) return exact;

  const space = objectName.indexOf(' ');
  if (space <= 0 || space === objectName.length - 1) return undefined;
  return NAMED_TYPES.get(objectName.slice(0, space));
}

/** Core sensors (bed, part fan, extruders) are reported unless denylisted. */
export function isCoreSensor(objectName: string): boolean {
  return objectName === 'heater_bed' || objectName === 'fan' || EXTRUDER_NAME.test(objectName);
}

/** Returns the object's own `state` text when it has one, else `ok`. */
export function sensorStatus(fields: ObjectFields): string {
  const state = fields['state'];
  return typeof state === 'string' && state.trim() !== '' ? state : 'ok';
}
