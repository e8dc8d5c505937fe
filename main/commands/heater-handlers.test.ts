import { describe, expect, it } from 'vitest';

import { maxTargetOf, setHeaterTarget, turnOffHeater } from './heater-handlers.js';
import { FakePrinter, createContext, moonrakerFailure } from './__testing__/fake-printer.js';

function printerWithHeaters(heaters: string[] | undefined): FakePrinter {
  const printer = new FakePrinter();
  printer.heaters = heaters;
  return printer;
}

describe('heater handlers', () => {
  describe('maxTargetOf', () => {
    it.each([
      ['extruder', 300],
      ['extruder1', 300],
      ['heater_bed', 120],
      ['heater_generic chamber', 150],
      ['temperature_fan case', 100],
    ])('limits %s to %i', (heater, limit) => {
      expect(maxTargetOf(heater)).toBe(limit);
    });
  });

  describe('setHeaterTarget', () => {
    it('sets the target with one decimal', async () => {
      const printer = new FakePrinter();
      const result = await setHeaterTarget(
        { heater: ' Extruder ', target: '215.26' },
        createContext(printer),
      );

      expect(printer.gcode).toEqual(['SET_HEATER_TEMPERATURE HEATER=extruder TARGET=215.3']);
      expect(result).toEqual({ heater: 'extruder', target: 215.26 });
    });

    it('sends the short name of a generic heater', async () => {
      const printer = printerWithHeaters(['extruder', 'heater_bed', 'heater_generic Chamber']);
      const result = await setHeaterTarget(
        { heater: 'heater_generic chamber', target: 60 },
        createContext(printer),
      );

      expect(printer.gcode).toEqual(['SET_HEATER_TEMPERATURE HEATER=Chamber TARGET=60.0']);
      expect(result).toEqual({ heater: 'heater_generic chamber', target: 60 });
    });

    it('accepts the limit itself', async () => {
      const printer = new FakePrinter();
      await setHeaterTarget({ heater: 'heater_bed', target: 120 }, createContext(printer));
      expect(printer.gcode).toEqual(['SET_HEATER_TEMPERATURE HEATER=heater_bed TARGET=120.0']);
    });

    it.each([
      ['extruder', 300.5, 'Target for extruder 300.5 is outside 0..300'],
      ['heater_bed', 121, 'Target for heater_bed 121 is outside 0..120'],
      ['extruder', -1, 'Target for extruder -1 is outside 0..300'],
    ])('rejects %s at %d', async (heater, target, message) => {
      const printer = new FakePrinter();
      await expect(
        setHeaterTarget({ heater, target }, createContext(printer)),
      ).rejects.toMatchObject({
        code: 'invalid_target',
        message,
      });
      expect(printer.calls).toEqual([]);
    });

    it('limits a generic heater to 150', async () => {
      const printer = printerWithHeaters(['heater_generic chamber']);
      await expect(
        setHeaterTarget({ heater: 'heater_generic chamber', target: 151 }, createContext(printer)),
      ).rejects.toMatchObject({
        code: 'invalid_target',
        message: 'Target for heater_generic chamber 151 is outside 0..150',
      });
    });

    it('rejects a heater the printer does not have', async () => {
      const printer = new FakePrinter();
      await expect(
        setHeaterTarget({ heater: 'extruder1', target: 200 }, createContext(printer)),
      ).rejects.toMatchObject({
        code: 'invalid_heater',
        message: 'Unknown heater "extruder1"; valid heaters: extruder, heater_bed',
      });
      expect(printer.calls).toEqual([]);
    });

    it('falls back to extruder and bed while heaters are unknown', async () => {
      const printer = printerWithHeaters(undefined);
      await setHeaterTarget({ heater: 'heater_bed', target: 60 }, createContext(printer));
      await expect(
        setHeaterTarget({ heater: 'heater_generic chamber', target: 60 }, createContext(printer)),
      ).rejects.toMatchObject({ code: 'invalid_heater' });
      expect(printer.gcode).toEqual(['SET_HEATER_TEMPERATURE HEATER=heater_bed TARGET=60.0']);
    });

    it('rejects every heater when none are reported', async () => {
      const printer = printerWithHeaters([]);
      await expect(
        setHeaterTarget({ heater: 'extruder', target: 200 }, createContext(printer)),
      ).rejects.toMatchObject({
        code: 'invalid_heater',
        message: 'Unknown heater "extruder"; valid heaters: none reported',
      });
    });

    it('rejects a reported heater name that is unsafe for G-code', async () => {
      const printer = printerWithHeaters(['heater_generic x\nM112']);
      await expect(
        setHeaterTarget({ heater: 'heater_generic x\nm112', target: 50 }, createContext(printer)),
      ).rejects.toMatchObject({ code: 'invalid_heater' });
      expect(printer.calls).toEqual([]);
    });

    it.each([
      [{ target: 200 }, "Invalid parameters: 'heater' expected a string"],
      [{ heater: '  ', target: 200 }, "Invalid parameters: 'heater' must not be empty"],
      [
        { heater: 'extruder' },
        "Invalid parameters: 'target' expected a number or a numeric string",
      ],
      [
        { heater: 'extruder', target: 'hot' },
        "Invalid parameters: 'target' expected a number or a numeric string",
      ],
    ])('rejects %j', async (parameters, message) => {
      await expect(setHeaterTarget(parameters, createContext())).rejects.toMatchObject({
        code: 'invalid_parameters',
        message,
      });
    });

    it('fails with gcode_error when the script fails', async () => {
      const printer = new FakePrinter();
      printer.failWith('runGcode', moonrakerFailure('Klipper: heater not found'));
      await expect(
        setHeaterTarget({ heater: 'extruder', target: 200 }, createContext(printer)),
      ).rejects.toMatchObject({
        code: 'gcode_error',
        message: 'Setting the heater failed: Klipper: heater not found',
      });
    });
  });

  describe('turnOffHeater', () => {
    it('sets the target to 0', async () => {
      const printer = new FakePrinter();
      const result = await turnOffHeater({ heater: 'HEATER_BED' }, createContext(printer));
      expect(printer.gcode).toEqual(['SET_HEATER_TEMPERATURE HEATER=heater_bed TARGET=0']);
      expect(result).toEqual({ heater: 'heater_bed', target: 0 });
    });

    it('rejects an unknown heater', async () => {
      await expect(turnOffHeater({ heater: 'chamber' }, createContext())).rejects.toMatchObject({
        code: 'invalid_heater',
        message: 'Unknown heater "chamber"; valid heaters: extruder, heater_bed',
      });
    });

    it('fails with gcode_error', async () => {
      const printer = new FakePrinter();
      printer.failWith('runGcode', moonrakerFailure());
      await expect(
        turnOffHeater({ heater: 'extruder' }, createContext(printer)),
      ).rejects.toMatchObject({
        code: 'gcode_error',
        message: 'Turning the heater off failed: Moonraker returned HTTP 500',
      });
    });
  });
});
