import { describe, expect, it } from 'vitest';

import { setFanSpeed } from './fan-handler.js';
import { FakePrinter, createContext, moonrakerFailure } from './__testing__/fake-printer.js';

async function gcodeFor(parameters: Record<string, unknown>): Promise<string[]> {
  const printer = new FakePrinter();
  await setFanSpeed(parameters, createContext(printer));
  return printer.gcode;
}

describe('setFanSpeed', () => {
  it('drives the part fan with M106', async () => {
    expect(await gcodeFor({ fan: 'fan', speed: 0.5 })).toEqual(['M106 S127']);
    expect(await gcodeFor({ fan: 'Fan', speed: '1' })).toEqual(['M106 S255']);
  });

  it('turns the part fan off with M107', async () => {
    expect(await gcodeFor({ fan: 'fan', speed: 0 })).toEqual(['M107']);
  });

  it('sets a generic fan by its short name', async () => {
    const printer = new FakePrinter();
    const result = await setFanSpeed(
      { fan: 'fan_generic nevermore', speed: 0.333 },
      createContext(printer),
    );
    expect(printer.gcode).toEqual(['SET_FAN_SPEED FAN=nevermore SPEED=0.33']);
    expect(result).toEqual({ fan: 'nevermore', speed: 0.333 });
  });

  it('accepts a short name as it is', async () => {
    expect(await gcodeFor({ fan: 'exhaust', speed: 1 })).toEqual([
      'SET_FAN_SPEED FAN=exhaust SPEED=1.00',
    ]);
  });

  it('strips heater and controller fan prefixes', async () => {
    expect(await gcodeFor({ fan: 'heater_fan hotend', speed: 1 })).toEqual([
      'SET_FAN_SPEED FAN=hotend SPEED=1.00',
    ]);
    expect(await gcodeFor({ fan: 'controller_fan mcu', speed: 0 })).toEqual([
      'SET_FAN_SPEED FAN=mcu SPEED=0.00',
    ]);
  });

  it.each(['fan\nM112', 'x; FIRMWARE_RESTART', 'fan_generic a b'])(
    'rejects the injection %j',
    async (fan) => {
      const printer = new FakePrinter();
      await expect(setFanSpeed({ fan, speed: 1 }, createContext(printer))).rejects.toMatchObject({
        code: 'invalid_identifier',
      });
      expect(printer.calls).toEqual([]);
    },
  );

  it('names the rejected fan in the message', async () => {
    await expect(
      setFanSpeed({ fan: 'fan\nM112', speed: 1 }, createContext()),
    ).rejects.toMatchObject({
      message: `Invalid fan name "fan\\nM112": use only letters, digits, '_', '-' and '.'`,
    });
  });

  it.each([1.01, -0.1])('rejects speed %d', async (speed) => {
    await expect(setFanSpeed({ fan: 'fan', speed }, createContext())).rejects.toMatchObject({
      code: 'invalid_speed',
      message: `Fan speed ${speed} is outside 0..1`,
    });
  });

  it('rejects a speed that is not a number', async () => {
    await expect(setFanSpeed({ fan: 'fan', speed: 'max' }, createContext())).rejects.toMatchObject({
      code: 'invalid_parameters',
      message: "Invalid parameters: 'speed' expected a number or a numeric string",
    });
  });

  it('rejects a missing fan', async () => {
    await expect(setFanSpeed({ speed: 1 }, createContext())).rejects.toMatchObject({
      code: 'invalid_parameters',
      message: "Invalid parameters: 'fan' expected a string",
    });
  });

  it('fails with gcode_error', async () => {
    const printer = new FakePrinter();
    printer.failWith('runGcode', moonrakerFailure());
    await expect(
      setFanSpeed({ fan: 'fan', speed: 1 }, createContext(printer)),
    ).rejects.toMatchObject({
      code: 'gcode_error',
      message: 'Setting the fan failed: Moonraker returned HTTP 500',
    });
  });
});
