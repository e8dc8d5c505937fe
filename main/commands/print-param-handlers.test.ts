import { describe, expect, it } from 'vitest';

import { adjustZOffset, resetZOffset, setPrintPercent } from './print-param-handlers.js';
import { FakePrinter, createContext, moonrakerFailure } from './__testing__/fake-printer.js';

describe('print-param handlers', () => {
  describe('setPrintPercent', () => {
    it('sets the speed factor with M220', async () => {
      const printer = new FakePrinter();
      const result = await setPrintPercent('speed', { percent: 150 }, createContext(printer));
      expect(printer.gcode).toEqual(['M220 S150']);
      expect(result).toEqual({ percent: 150 });
    });

    it('sets the flow factor with M221', async () => {
      const printer = new FakePrinter();
      const result = await setPrintPercent('flow', { percent: '95.4' }, createContext(printer));
      expect(printer.gcode).toEqual(['M221 S95']);
      expect(result).toEqual({ percent: 95 });
    });

    it.each([
      ['speed', 0, 'invalid_speed', 'Speed factor percent 0 is outside 1..999'],
      ['speed', 1000, 'invalid_speed', 'Speed factor percent 1000 is outside 1..999'],
      ['flow', 0.5, 'invalid_flow', 'Flow factor percent 0.5 is outside 1..999'],
      ['flow', -10, 'invalid_flow', 'Flow factor percent -10 is outside 1..999'],
    ] as const)('rejects %s %d', async (kind, percent, code, message) => {
      const printer = new FakePrinter();
      await expect(
        setPrintPercent(kind, { percent }, createContext(printer)),
      ).rejects.toMatchObject({ code, message });
      expect(printer.calls).toEqual([]);
    });

    it('rejects a missing percent', async () => {
      await expect(setPrintPercent('speed', {}, createContext())).rejects.toMatchObject({
        code: 'invalid_parameters',
        message: "Invalid parameters: 'percent' expected a number or a numeric string",
      });
    });

    it('fails with gcode_error', async () => {
      const printer = new FakePrinter();
      printer.failWith('runGcode', moonrakerFailure());
      await expect(
        setPrintPercent('flow', { percent: 100 }, createContext(printer)),
      ).rejects.toMatchObject({
        code: 'gcode_error',
        message: 'Setting the flow failed: Moonraker returned HTTP 500',
      });
    });
  });

  describe('adjustZOffset', () => {
    it('adjusts by the amount with three decimals', async () => {
      const printer = new FakePrinter();
      const result = await adjustZOffset({ adjustMm: '-0.0125' }, createContext(printer));
      expect(printer.gcode).toEqual(['SET_GCODE_OFFSET Z_ADJUST=-0.013 MOVE=1']);
      expect(result).toEqual({ adjustMm: -0.0125 });
    });

    it('accepts exactly one millimetre', async () => {
      const printer = new FakePrinter();
      await adjustZOffset({ adjustMm: 1 }, createContext(printer));
      expect(printer.gcode).toEqual(['SET_GCODE_OFFSET Z_ADJUST=1.000 MOVE=1']);
    });

    it.each([1.001, -1.5])('rejects %d mm', async (adjustMm) => {
      await expect(adjustZOffset({ adjustMm }, createContext())).rejects.toMatchObject({
        code: 'invalid_z_offset',
        message: `Z adjustment in mm ${adjustMm} is outside -1..1`,
      });
    });

    it('fails with gcode_error', async () => {
      const printer = new FakePrinter();
      printer.failWith('runGcode', moonrakerFailure());
      await expect(adjustZOffset({ adjustMm: 0.1 }, createContext(printer))).rejects.toMatchObject({
        code: 'gcode_error',
        message: 'Adjusting the Z offset failed: Moonraker returned HTTP 500',
      });
    });
  });

  describe('resetZOffset', () => {
    it('resets the offset and moves', async () => {
      const printer = new FakePrinter();
      const result = await resetZOffset(createContext(printer));
      expect(printer.gcode).toEqual(['SET_GCODE_OFFSET Z=0 MOVE=1']);
      expect(result).toEqual({ zOffsetMm: 0 });
    });

    it('fails with gcode_error', async () => {
      const printer = new FakePrinter();
      printer.failWith('runGcode', moonrakerFailure());
      await expect(resetZOffset(createContext(printer))).rejects.toMatchObject({
        code: 'gcode_error',
        message: 'Resetting the Z offset failed: Moonraker returned HTTP 500',
      });
    });
  });
});
