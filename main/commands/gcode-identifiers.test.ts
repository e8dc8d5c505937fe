import { describe, expect, it } from 'vitest';

import { CodedError } from '../support/coded-error.js';
import {
  normalizeMacroName,
  requireKlipperIdentifier,
  requireObjectShortName,
  requirePrintFilename,
} from './gcode-identifiers.js';

function failure(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof CodedError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a CodedError');
}

describe('requireKlipperIdentifier', () => {
  it.each(['fan', 'nevermore_fan', 'chamber-light', 'part.1', 'LED_Strip2'])(
    'accepts %s',
    (name) => {
      expect(requireKlipperIdentifier(name, 'fan')).toBe(name);
    },
  );

  it.each([
    'fan\nM112',
    'x; FIRMWARE_RESTART',
    'fan M112',
    'fan\rM112',
    'a=b',
    '',
    'fan{action_call}',
    'ventilátor',
  ])('rejects %j', (name) => {
    expect(failure(() => requireKlipperIdentifier(name, 'fan'))).toEqual({
      code: 'invalid_identifier',
      message: `Invalid fan name ${JSON.stringify(name)}: use only letters, digits, '_', '-' and '.'`,
    });
  });

  it('uses the code it is given', () => {
    expect(
      failure(() => requireKlipperIdentifier('a b', 'object', 'invalid_object_name')).code,
    ).toBe('invalid_object_name');
  });
});

describe('normalizeMacroName', () => {
  it('upper-cases and trims the name', () => {
    expect(normalizeMacroName(' clean_nozzle ')).toBe('CLEAN_NOZZLE');
  });

  it('rejects a leading underscore', () => {
    expect(failure(() => normalizeMacroName('_private_helper'))).toEqual({
      code: 'forbidden_macro',
      message: "Macro '_PRIVATE_HELPER' starts with '_' and is internal",
    });
  });

  it.each(['x; FIRMWARE_RESTART', 'LOAD\nM112', 'HOME ALL', 'SET-X', 'A.B', ''])(
    'rejects %j',
    (name) => {
      expect(failure(() => normalizeMacroName(name))).toEqual({
        code: 'invalid_identifier',
        message: `Invalid macro name ${JSON.stringify(name)}: use only letters, digits and '_'`,
      });
    },
  );
});

describe('requirePrintFilename', () => {
  it.each(['benchy.gcode', 'parts/v2/bracket.gcode', 'my part (2).gcode', 'a..b.gcode'])(
    'accepts %s',
    (name) => {
      expect(requirePrintFilename(name)).toBe(name);
    },
  );

  it.each([
    ['../secrets.gcode', "it must not contain '..' segments"],
    ['parts/../../x.gcode', "it must not contain '..' segments"],
    ['parts\\..\\x.gcode', "it must not contain '..' segments"],
    ['/etc/passwd', 'it must be relative to the G-code folder'],
    ['\\\\server\\share.gcode', 'it must be relative to the G-code folder'],
    ['C:\\prints\\x.gcode', 'it must be relative to the G-code folder'],
    ['x.gcode\nM112', 'it contains control characters'],
    ['x\u0000.gcode', 'it contains control characters'],
    ['x\u2028.gcode', 'it contains control characters'],
    ['', 'it is empty'],
  ])('rejects %j', (name, why) => {
    expect(failure(() => requirePrintFilename(name))).toEqual({
      code: 'invalid_filename',
      message: `Invalid file name ${JSON.stringify(name)}: ${why}`,
    });
  });
});

describe('requireObjectShortName', () => {
  it('returns the name part of a section name', () => {
    expect(requireObjectShortName('neopixel case_lights', 'LED')).toBe('case_lights');
  });

  it('returns a short name as it is', () => {
    expect(requireObjectShortName('status', 'LED')).toBe('status');
  });

  it.each(['x; FIRMWARE_RESTART', 'neopixel a b', 'neopixel a\nM112', 'neopixel ', ' a'])(
    'rejects %j',
    (name) => {
      expect(failure(() => requireObjectShortName(name, 'LED'))).toEqual({
        code: 'invalid_identifier',
        message: `Invalid LED name ${JSON.stringify(name)}: use only letters, digits, '_', '-' and '.'`,
      });
    },
  );
});
