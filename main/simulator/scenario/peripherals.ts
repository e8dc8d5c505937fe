import { gcodeError } from '../api-error.js';
import type { StatusObjects } from '../object-status.js';

export const HOTEND_FAN = 'heater_fan hotend_fan';
export const EXHAUST_FAN = 'fan_generic exhaust_fan';
export const CASE_LIGHT = 'output_pin caselight';
export const STATUS_LED = 'led status_led';

/** Klipper's `heater_fan` default: the fan runs while the extruder is above 50 °C. */
const HEATER_FAN_THRESHOLD_CELSIUS = 50;

/** Axis letters in the order of `gcode_move.homing_origin`. */
const AXES = ['X', 'Y', 'Z', 'E'] as const;

/**
 * Fans, an output pin, an LED and the motion factors: everything G-code changes apart from
 * heaters and the print itself.
 */
export class Peripherals {
  partFan = 0;
  exhaustFan = 0;
  caseLight = 0;
  ledColor: [number, number, number, number] = [0, 0, 0, 0];
  speedFactor = 1;
  extrudeFactor = 1;
  homingOrigin: [number, number, number, number] = [0, 0, 0, 0];
  homedAxes = '';

  reset(): void {
    Object.assign(this, new Peripherals());
  }

  /** Sets a `fan_generic` speed; the printer has one, called `exhaust_fan`. */
  setGenericFan(name: string, speed: number): void {
    if (`fan_generic ${name}` !== EXHAUST_FAN)
      throw gcodeError(`The value '${name}' is not valid for FAN`);
    this.exhaustFan = speed;
  }

  setPin(name: string, value: number): void {
    if (`output_pin ${name}` !== CASE_LIGHT)
      throw gcodeError(`The value '${name}' is not valid for PIN`);
    this.caseLight = value;
  }

  setLed(name: string, color: [number, number, number, number]): void {
    if (`led ${name}` !== STATUS_LED) throw gcodeError(`The value '${name}' is not valid for LED`);
    this.ledColor = color;
  }

  /** Sets (or with `adjust`, shifts) the G-code offset of one axis, as SET_GCODE_OFFSET does. */
  setOffset(axis: (typeof AXES)[number], value: number, adjust: boolean): void {
    const index = AXES.indexOf(axis);
    const current = this.homingOrigin[index] ?? 0;
    this.homingOrigin[index] = adjust ? current + value : value;
  }

  status(extruderTemperature: number): StatusObjects {
    const hotendFan = extruderTemperature > HEATER_FAN_THRESHOLD_CELSIUS ? 1 : 0;
    return {
      fan: { speed: this.partFan, rpm: null },
      [HOTEND_FAN]: { speed: hotendFan, rpm: null },
      [EXHAUST_FAN]: { speed: this.exhaustFan, rpm: null },
      [CASE_LIGHT]: { value: this.caseLight },
      [STATUS_LED]: { color_data: [this.ledColor] },
      gcode_move: {
        speed_factor: this.speedFactor,
        speed: 1500,
        extrude_factor: this.extrudeFactor,
        absolute_coordinates: true,
        absolute_extrude: true,
        homing_origin: [...this.homingOrigin],
        position: [0, 0, 0, 0],
        gcode_position: [0, 0, 0, 0],
      },
      toolhead: {
        homed_axes: this.homedAxes,
        extruder: 'extruder',
        position: [0, 0, 0, 0],
        max_velocity: 300,
        max_accel: 3000,
      },
    };
  }
}

export { AXES as OFFSET_AXES };
