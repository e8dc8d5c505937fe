import { describe, expect, it } from 'vitest';

import { excludeObject } from './object-handler.js';
import { FakePrinter, createContext, moonrakerFailure } from './__testing__/fake-printer.js';

function printingObjects(...names: string[]): FakePrinter {
  const printer = new FakePrinter();
  printer.objects = ['toolhead', 'exclude_object'];
  printer.printObjects = names;
  return printer;
}

describe('excludeObject', () => {
  it('excludes a listed object without waiting', async () => {
    const printer = printingObjects('PART_1', 'PART_2');
    const result = await excludeObject({ objectName: 'part_2' }, createContext(printer));

    expect(printer.calls).toEqual(['query exclude_object', 'nowait EXCLUDE_OBJECT NAME=PART_2']);
    expect(result).toEqual({ objectName: 'PART_2' });
  });

  it('rejects an object the print does not list', async () => {
    const printer = printingObjects('PART_1');
    await expect(
      excludeObject({ objectName: 'PART_9' }, createContext(printer)),
    ).rejects.toMatchObject({
      code: 'object_not_found',
      message: 'Object PART_9 is not in the print; objects: PART_1',
    });
    expect(printer.calls).toEqual(['query exclude_object']);
  });

  it('rejects any object without exclude_object', async () => {
    const printer = new FakePrinter();
    await expect(
      excludeObject({ objectName: 'PART_1' }, createContext(printer)),
    ).rejects.toMatchObject({
      code: 'object_not_found',
      message: 'Object PART_1 is not in the print; objects: none',
    });
  });

  it.each(['PART_1\nM112', 'x; FIRMWARE_RESTART', 'PART 1'])(
    'rejects the injection %j',
    async (objectName) => {
      const printer = printingObjects('PART_1');
      await expect(excludeObject({ objectName }, createContext(printer))).rejects.toMatchObject({
        code: 'invalid_object_name',
        message: `Invalid object name ${JSON.stringify(objectName)}: use only letters, digits, '_', '-' and '.'`,
      });
      expect(printer.calls).toEqual([]);
    },
  );

  it.each([{}, { objectName: '' }, { objectName: '  ' }])(
    'rejects a missing name in %j',
    async (parameters) => {
      await expect(excludeObject(parameters, createContext())).rejects.toMatchObject({
        code: 'missing_parameter',
        message: "Parameter 'objectName' is required",
      });
    },
  );

  it('rejects a name that is not a string', async () => {
    await expect(excludeObject({ objectName: 5 }, createContext())).rejects.toMatchObject({
      code: 'invalid_parameters',
      message: "Invalid parameters: 'objectName' expected a string",
    });
  });

  it('fails with state_unavailable when the query fails', async () => {
    const printer = printingObjects('PART_1');
    printer.failWith('queryObjects', moonrakerFailure('timed out'));
    await expect(
      excludeObject({ objectName: 'PART_1' }, createContext(printer)),
    ).rejects.toMatchObject({
      code: 'state_unavailable',
      message: 'Cannot read the objects of the print: timed out',
    });
  });

  it('fails with send_error when sending fails', async () => {
    const printer = printingObjects('PART_1');
    printer.failWith('sendGcodeNoWait', moonrakerFailure('socket closed'));
    await expect(
      excludeObject({ objectName: 'PART_1' }, createContext(printer)),
    ).rejects.toMatchObject({
      code: 'send_error',
      message: 'Excluding the object failed: socket closed',
    });
  });
});
