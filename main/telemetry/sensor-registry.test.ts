import { describe, expect, it } from 'vitest';

import { classifySensor, isCoreSensor, sensorStatus } from './sensor-registry.js';

function read(name: string, fields: Record<string, unknown>, config?: Record<string, unknown>) {
  const kind = classifySensor(name);
  if (!kind) throw new Error(`${name} is not a sensor`);
  return { type: kind.type, unit: kind.unit, ...kind.read(fields, config) };
}

describe('sensor registry', () => {
  describe('classifySensor', () => {
    it.each([
      ['extruder', 'heater', 'celsius'],
      ['extruder1', 'heater', 'celsius'],
      ['heater_bed', 'heater', 'celsius'],
      ['heater_generic chamber', 'heater', 'celsius'],
      ['temperature_sensor mcu', 'sensor', 'celsius'],
      ['temperature_fan exhaust', 'temperatureFan', 'celsius'],
      ['fan', 'fan', 'percent'],
      ['fan_generic aux', 'fan', 'percent'],
      ['heater_fan hotend', 'controllerFan', 'percent'],
      ['controller_fan board', 'controllerFan', 'percent'],
      ['neopixel strip', 'led', 'brightness'],
      ['dotstar ring', 'led', 'brightness'],
      ['led caselight', 'led', 'brightness'],
      ['filament_switch_sensor runout', 'filamentSensor', 'boolean'],
      ['filament_motion_sensor encoder', 'filamentSensor', 'boolean'],
      ['output_pin beeper', 'outputPin', 'percent'],
    ])('classifies %s as %s in %s', (name, type, unit) => {
      expect(classifySensor(name)?.type).toBe(type);
      expect(classifySensor(name)?.unit).toBe(unit);
    });

    it.each([
      'toolhead',
      'temperatures',
      'extruder_stepper belted',
      'webhooks',
      'temperature_sensor',
      'temperature_sensor ',
      'gcode_macro START',
    ])('ignores %s', (name) => {
      expect(classifySensor(name)).toBeUndefined();
    });
  });

  describe('heater readings', () => {
    it('floors temperature and target and reports heating', () => {
      const reading = read('extruder', { temperature: 204.93, target: 215.7 });
      expect(reading.value).toBe(204);
      expect(reading.target).toBe(215);
      expect(reading.isHeating).toBe(true);
    });

    it('uses the raw values for isHeating', () => {
      const reading = read('heater_bed', { temperature: 55.2, target: 60.1 });
      expect(reading.isHeating).toBe(false);
    });

    it('falls back to value for an extruder without temperature', () => {
      expect(read('extruder', { value: 30.9 }).value).toBe(30);
    });

    it('leaves the target out when unknown', () => {
      const reading = read('heater_generic chamber', { temperature: null });
      expect(reading.value).toBeNull();
      expect(reading).not.toHaveProperty('target');
      expect(reading.isHeating).toBe(false);
    });
  });

  describe('other readings', () => {
    it('floors a temperature sensor without target', () => {
      const reading = read('temperature_sensor chamber', { temperature: 41.99, target: 50 });
      expect(reading.value).toBe(41);
      expect(reading).not.toHaveProperty('target');
    });

    it('reports a temperature fan with its target', () => {
      const reading = read('temperature_fan exhaust', { temperature: 35.5, target: 40.9 });
      expect(reading.value).toBe(35);
      expect(reading.target).toBe(40);
      expect(reading).not.toHaveProperty('isHeating');
    });

    it('rounds fan speed half to even', () => {
      expect(read('fan', { speed: 0.505 }).value).toBe(50);
      expect(read('fan_generic aux', { speed: 0.515 }).value).toBe(52);
      expect(read('heater_fan hotend', { speed: 1 }).value).toBe(100);
      expect(read('controller_fan board', {}).value).toBeNull();
    });

    it('reads LED brightness from color_data', () => {
      expect(read('neopixel strip', { color_data: [[0.5, 0.25, 0, 0]] }).value).toBe(50);
    });

    it('reads filament presence as 1 or 0', () => {
      expect(read('filament_switch_sensor runout', { filament_detected: true }).value).toBe(1);
      expect(read('filament_motion_sensor encoder', { filament_detected: false }).value).toBe(0);
    });

    it('reads an output pin with its pwm flag from the config', () => {
      const reading = read('output_pin light', { value: 0.375 }, { pwm: true });
      expect(reading.value).toBe(38);
      expect(reading.pwm).toBe(true);
    });

    it('leaves the pwm flag out without config', () => {
      expect(read('output_pin beeper', { value: 1 })).not.toHaveProperty('pwm');
    });
  });

  describe('isCoreSensor', () => {
    it('counts bed, part fan and extruders as core', () => {
      expect(isCoreSensor('heater_bed')).toBe(true);
      expect(isCoreSensor('fan')).toBe(true);
      expect(isCoreSensor('extruder')).toBe(true);
      expect(isCoreSensor('extruder2')).toBe(true);
    });

    it('counts named sensors as custom', () => {
      expect(isCoreSensor('temperature_sensor mcu')).toBe(false);
      expect(isCoreSensor('fan_generic aux')).toBe(false);
    });
  });

  describe('sensorStatus', () => {
    it('uses a non-empty state and else ok', () => {
      expect(sensorStatus({ state: 'error' })).toBe('error');
      expect(sensorStatus({ state: '  ' })).toBe('ok');
      expect(sensorStatus({ state: 3 })).toBe('ok');
      expect(sensorStatus({})).toBe('ok');
    });
  });
});
