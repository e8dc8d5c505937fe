import { describe, expect, it } from 'vitest';

import {
  DEFAULT_SENSOR_FILTER,
  resolveSensorFilterSettings,
  selectSensors,
} from './sensor-filter.js';

const PRINTER = [
  'extruder',
  'extruder1',
  'heater_bed',
  'fan',
  'temperature_sensor chamber',
  'temperature_sensor mcu',
  'heater_fan hotend',
  'neopixel strip',
];

describe('sensor filter', () => {
  describe('selectSensors', () => {
    it('keeps only core sensors by default', () => {
      const selected = selectSensors(PRINTER, resolveSensorFilterSettings());
      expect(selected).toEqual(['extruder', 'extruder1', 'heater_bed', 'fan']);
    });

    it('drops a denylisted core sensor', () => {
      const settings = resolveSensorFilterSettings({ denylist: ['Extruder1'] });
      expect(selectSensors(PRINTER, settings)).not.toContain('extruder1');
    });

    it('needs both the allowlist and a custom cap', () => {
      const allowlist = ['temperature_sensor chamber'];
      const withoutCap = resolveSensorFilterSettings({ allowlist });
      const withCap = resolveSensorFilterSettings({ allowlist, maxCustomSensors: 1 });

      expect(selectSensors(PRINTER, withoutCap)).not.toContain('temperature_sensor chamber');
      expect(selectSensors(PRINTER, withCap)).toContain('temperature_sensor chamber');
    });

    it('caps custom sensors in allowlist order', () => {
      const settings = resolveSensorFilterSettings({
        allowlist: ['neopixel strip', 'temperature_sensor mcu', 'temperature_sensor chamber'],
        maxCustomSensors: 2,
        maxSensorCount: 10,
      });
      const custom = selectSensors(PRINTER, settings).slice(4);
      expect(custom).toEqual(['neopixel strip', 'temperature_sensor mcu']);
    });

    it('caps the total without dropping core sensors', () => {
      const settings = resolveSensorFilterSettings({
        allowlist: ['temperature_sensor chamber', 'temperature_sensor mcu'],
        maxCustomSensors: 5,
        maxSensorCount: 5,
      });
      expect(selectSensors(PRINTER, settings)).toEqual([
        'extruder',
        'extruder1',
        'heater_bed',
        'fan',
        'temperature_sensor chamber',
      ]);
    });

    it('keeps every core sensor above the total cap', () => {
      const settings = resolveSensorFilterSettings({
        allowlist: ['temperature_sensor mcu'],
        maxCustomSensors: 3,
        maxSensorCount: 2,
      });
      expect(selectSensors(PRINTER, settings)).toEqual([
        'extruder',
        'extruder1',
        'heater_bed',
        'fan',
      ]);
    });

    it('lets the denylist win over the allowlist', () => {
      const settings = resolveSensorFilterSettings({
        allowlist: ['temperature_sensor mcu'],
        denylist: ['temperature_sensor  MCU'],
        maxCustomSensors: 3,
      });
      expect(selectSensors(PRINTER, settings)).not.toContain('temperature_sensor mcu');
    });
  });

  describe('resolveSensorFilterSettings', () => {
    it('uses the defaults for missing values', () => {
      expect(resolveSensorFilterSettings()).toEqual(DEFAULT_SENSOR_FILTER);
    });

    it('repairs invalid caps', () => {
      const settings = resolveSensorFilterSettings({
        maxCustomSensors: -1,
        maxSensorCount: 7.8,
      });
      expect(settings.maxCustomSensors).toBe(0);
      expect(settings.maxSensorCount).toBe(7);
    });
  });
});
