import { describe, expect, it } from 'vitest';

import { MACRO_TIMEOUT_MS, runMacro } from './macro-handler.js';
import { FakePrinter, createContext, moonrakerFailure } from './__testing__/fake-printer.js';

function printerWithMacros(...macros: string[]): FakePrinter {
  const printer = new FakePrinter();
  printer.objects = ['toolhead', ...macros.map((name) => `gcode_macro ${name}`)];
  return printer;
}

describe('runMacro', () => {
  it('runs a defined macro upper-cased with the macro timeout', async () => {
    const printer = printerWithMacros('CLEAN_NOZZLE');
    const result = await runMacro({ macro: 'clean_nozzle' }, createContext(printer));

    expect(printer.gcode).toEqual(['CLEAN_NOZZLE']);
    expect(printer.gcodeOptions).toEqual([{ timeoutMs: MACRO_TIMEOUT_MS }]);
    expect(result).toEqual({ macro: 'CLEAN_NOZZLE' });
  });

  it('finds a macro the config spells in lower case', async () => {
    const printer = printerWithMacros('load_filament');
    await runMacro({ macro: 'LOAD_FILAMENT' }, createContext(printer));
    expect(printer.gcode).toEqual(['LOAD_FILAMENT']);
  });

  it('rejects a macro the printer does not define', async () => {
    const printer = printerWithMacros('CLEAN_NOZZLE');
    await expect(
      runMacro({ macro: 'bed_mesh_calibrate' }, createContext(printer)),
    ).rejects.toMatchObject({
      code: 'unknown_macro',
      message: 'Macro BED_MESH_CALIBRATE is not defined on this printer',
    });
    expect(printer.calls).toEqual([]);
  });

  it('fails closed while the object list is unknown', async () => {
    const printer = printerWithMacros();
    printer.objects = [];
    await expect(runMacro({ macro: 'CLEAN_NOZZLE' }, createContext(printer))).rejects.toMatchObject(
      {
        code: 'macro_preflight_failed',
        message:
          'Cannot check that macro CLEAN_NOZZLE exists: the printer object list is not known yet',
      },
    );
    expect(printer.calls).toEqual([]);
  });

  it('rejects a private macro', async () => {
    const printer = printerWithMacros('_HELPER');
    await expect(runMacro({ macro: '_helper' }, createContext(printer))).rejects.toMatchObject({
      code: 'forbidden_macro',
      message: "Macro '_HELPER' starts with '_' and is internal",
    });
    expect(printer.calls).toEqual([]);
  });

  it.each(['x; FIRMWARE_RESTART', 'CLEAN_NOZZLE\nM112', 'CLEAN_NOZZLE SPEED=9'])(
    'rejects the injection %j',
    async (macro) => {
      const printer = printerWithMacros('CLEAN_NOZZLE', 'X');
      await expect(runMacro({ macro }, createContext(printer))).rejects.toMatchObject({
        code: 'invalid_identifier',
        message: `Invalid macro name ${JSON.stringify(macro)}: use only letters, digits and '_'`,
      });
      expect(printer.calls).toEqual([]);
    },
  );

  it('rejects a missing macro', async () => {
    await expect(runMacro({}, createContext())).rejects.toMatchObject({
      code: 'invalid_parameters',
      message: "Invalid parameters: 'macro' expected a string",
    });
  });

  it('fails with gcode_error when the macro fails', async () => {
    const printer = printerWithMacros('CLEAN_NOZZLE');
    printer.failWith('runGcode', moonrakerFailure('Must home first'));
    await expect(runMacro({ macro: 'CLEAN_NOZZLE' }, createContext(printer))).rejects.toMatchObject(
      {
        code: 'gcode_error',
        message: 'Macro CLEAN_NOZZLE failed: Must home first',
      },
    );
  });
});
