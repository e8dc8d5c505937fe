import { gcodeError } from '../api-error.js';
import type { StatusObjects } from '../object-status.js';
import { AMBIENT_CELSIUS, Heater, TemperatureSensor } from './thermal.js';

export const EXTRUDER = 'extruder';
export const HEATER_BED = 'heater_bed';
export const CHAMBER_SENSOR = 'temperature_sensor chamber';

/** The simulated printer's heaters and temperature sensors. */
export class HeaterBank {
  readonly extruder: Heater;
  readonly bed: Heater;
  readonly chamber: TemperatureSensor;

  constructor(random: () => number) {
    this.extruder = new Heater(
      { heatTauSeconds: 10, coolTauSeconds: 45, minTemp: 0, maxTemp: 300, noise: 0.08 },
      random,
    );
    this.bed = new Heater(
      { heatTauSeconds: 30, coolTauSeconds: 150, minTemp: 0, maxTemp: 120, noise: 0.04 },
      random,
    );
    this.chamber = new TemperatureSensor(300, 0.02, random);
  }

  /** Object names of the heaters, as `SET_HEATER_TEMPERATURE HEATER=` accepts them. */
  get heaterNames(): readonly string[] {
    return [HEATER_BED, EXTRUDER];
  }

  /** Returns the heater called `name`, or raises Klipper's error for an unknown HEATER value. */
  heater(name: string): Heater {
    if (name === EXTRUDER) return this.extruder;
    if (name === HEATER_BED) return this.bed;
    throw gcodeError(`The value '${name}' is not valid for HEATER`);
  }

  get allAtTarget(): boolean {
    return this.extruder.isAtTarget && this.bed.isAtTarget;
  }

  turnOff(): void {
    this.extruder.setTarget(0);
    this.bed.setTarget(0);
  }

  step(dtSeconds: number, enabled: boolean): void {
    this.extruder.step(dtSeconds, enabled);
    this.bed.step(dtSeconds, enabled);
    const chamberGoal = AMBIENT_CELSIUS + (this.bed.temperature - AMBIENT_CELSIUS) * 0.15;
    this.chamber.step(dtSeconds, chamberGoal);
  }

  status(): StatusObjects {
    return {
      heaters: {
        available_heaters: this.heaterNames,
        available_sensors: [...this.heaterNames, CHAMBER_SENSOR],
        available_monitors: [],
      },
      [EXTRUDER]: {
        ...this.extruder.status(),
        can_extrude: this.extruder.temperature >= 170,
        pressure_advance: 0.04,
        smooth_time: 0.04,
      },
      [HEATER_BED]: this.bed.status(),
      [CHAMBER_SENSOR]: this.chamber.status(),
    };
  }
}
