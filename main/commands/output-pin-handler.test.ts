import { describe, expect, it } from 'vitest';

import { setOutputPinValue } from './output-pin-handler.js';
import { FakePrinter, createContext, moonrakerFailure } from './__testing__/fake-printer.js';

describe('setOutputPinValue', () => {
  it('sets a pin given by object name', async () => {
    const printer = new FakePrinter();
    const result = await setOutputPinValue(
      { pin: 'output_pin relay', value: 1 },
      createContext(printer),
    );

    expect(printer.gcode).toEqual(['SET_PIN PIN=relay VALUE=1.00']);
    expect(result).toEqual({ pin: 'relay', value: 1 });
  });

  it('formats a PWM value with two decimals', async () => {
    const printer = new FakePrinter();
    await setOutputPinValue({ pin: 'beeper', value: '0.125' }, createContext(printer));
    expect(printer.gcode).toEqual(['SET_PIN PIN=beeper VALUE=0.13']);
  });

  it.each(['pin\nM112', 'x; FIRMWARE_RESTART'])('rejects the injection %j', async (pin) => {
    const printer = new FakePrinter();
    await expect(
      setOutputPinValue({ pin, value: 1 }, createContext(printer)),
    ).rejects.toMatchObject({
      code: 'invalid_identifier',
      message: `Invalid output pin name ${JSON.stringify(pin)}: use only letters, digits, '_', '-' and '.'`,
    });
    expect(printer.calls).toEqual([]);
  });

  it.each([2, -0.5])('rejects value %d', async (value) => {
    await expect(setOutputPinValue({ pin: 'relay', value }, createContext())).rejects.toMatchObject(
      {
        code: 'invalid_value',
        message: `Pin value ${value} is outside 0..1`,
      },
    );
  });

  it('fails with output_pin_command_failed', async () => {
    const printer = new FakePrinter();
    printer.failWith('runGcode', moonrakerFailure());
    await expect(
      setOutputPinValue({ pin: 'relay', value: 0 }, createContext(printer)),
    ).rejects.toMatchObject({
      code: 'output_pin_command_failed',
      message: 'Setting the output pin failed: Moonraker returned HTTP 500',
    });
  });
});
