import { describe, expect, it } from 'vitest';

import { emergencyStop, firmwareRestart, runPrintAction, startPrint } from './print-handlers.js';
import { FakePrinter, createContext, moonrakerFailure } from './__testing__/fake-printer.js';

describe('print handlers', () => {
  describe('runPrintAction', () => {
    it.each(['pause', 'resume', 'cancel'] as const)('sends %s', async (action) => {
      const printer = new FakePrinter();
      const result = await runPrintAction(action, createContext(printer));

      expect(printer.calls).toEqual([`printAction ${action}`]);
      expect(result).toEqual({ command: `print:${action}` });
    });

    it('fails with moonraker_error when Moonraker fails', async () => {
      const printer = new FakePrinter();
      printer.failWith('printAction', moonrakerFailure());
      await expect(runPrintAction('pause', createContext(printer))).rejects.toMatchObject({
        code: 'moonraker_error',
        message: 'Print pause failed: Moonraker returned HTTP 500',
      });
      expect(printer.calls).toEqual(['printAction pause']);
    });
  });

  describe('emergencyStop', () => {
    it('calls the emergency stop', async () => {
      const printer = new FakePrinter();
      expect(await emergencyStop(createContext(printer))).toEqual({
        command: 'print:emergency-stop',
      });
      expect(printer.calls).toEqual(['emergencyStop']);
    });

    it('fails with moonraker_error', async () => {
      const printer = new FakePrinter();
      printer.failWith('emergencyStop', moonrakerFailure('socket closed'));
      await expect(emergencyStop(createContext(printer))).rejects.toMatchObject({
        code: 'moonraker_error',
        message: 'Emergency stop failed: socket closed',
      });
    });
  });

  describe('firmwareRestart', () => {
    it('calls the firmware restart', async () => {
      const printer = new FakePrinter();
      expect(await firmwareRestart(createContext(printer))).toEqual({
        command: 'print:firmware-restart',
      });
      expect(printer.calls).toEqual(['firmwareRestart']);
    });

    it('fails with moonraker_error', async () => {
      const printer = new FakePrinter();
      printer.failWith('firmwareRestart', moonrakerFailure());
      await expect(firmwareRestart(createContext(printer))).rejects.toMatchObject({
        code: 'moonraker_error',
        message: 'Firmware restart failed: Moonraker returned HTTP 500',
      });
    });
  });

  describe('startPrint', () => {
    it('starts the file', async () => {
      const printer = new FakePrinter();
      const result = await startPrint({ filename: 'parts/benchy.gcode' }, createContext(printer));
      expect(printer.calls).toEqual(['startPrint parts/benchy.gcode']);
      expect(result).toEqual({ command: 'print:start', filename: 'parts/benchy.gcode' });
    });

    it.each(['printing', 'paused', 'PRINTING'])('rejects while %s', async (state) => {
      const printer = new FakePrinter();
      printer.printState = state;
      await expect(
        startPrint({ filename: 'a.gcode' }, createContext(printer)),
      ).rejects.toMatchObject({
        code: 'printer_busy',
        message: `Printer is ${state.toLowerCase()}; cancel or finish the current print first`,
      });
      expect(printer.calls).toEqual([]);
    });

    it.each(['complete', 'cancelled', 'error', 'standby'])('starts after %s', async (state) => {
      const printer = new FakePrinter();
      printer.printState = state;
      await startPrint({ filename: 'a.gcode' }, createContext(printer));
      expect(printer.calls).toEqual(['startPrint a.gcode']);
    });

    it('rejects a path outside the G-code folder', async () => {
      const printer = new FakePrinter();
      await expect(
        startPrint({ filename: '../printer.cfg' }, createContext(printer)),
      ).rejects.toMatchObject({
        code: 'invalid_filename',
        message: `Invalid file name "../printer.cfg": it must not contain '..' segments`,
      });
      expect(printer.calls).toEqual([]);
    });

    it('rejects a missing file name', async () => {
      await expect(startPrint({}, createContext())).rejects.toMatchObject({
        code: 'invalid_parameters',
        message: "Invalid parameters: 'filename' expected a string",
      });
    });

    it('fails with moonraker_error', async () => {
      const printer = new FakePrinter();
      printer.failWith('startPrint', moonrakerFailure('file not found'));
      await expect(
        startPrint({ filename: 'a.gcode' }, createContext(printer)),
      ).rejects.toMatchObject({
        code: 'moonraker_error',
        message: 'Print start failed: file not found',
      });
    });
  });
});
