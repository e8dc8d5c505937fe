import { describe, expect, it } from 'vitest';

import { setLedBrightness } from './led-handler.js';
import { FakePrinter, createContext, moonrakerFailure } from './__testing__/fake-printer.js';

describe('setLedBrightness', () => {
  it('sets every channel of an LED given by object name', async () => {
    const printer = new FakePrinter();
    const result = await setLedBrightness(
      { led: 'neopixel case_lights', brightness: 0.755 },
      createContext(printer),
    );

    expect(printer.gcode).toEqual([
      'SET_LED LED=case_lights RED=0.76 GREEN=0.76 BLUE=0.76 WHITE=0.76',
    ]);
    expect(result).toEqual({ led: 'case_lights', brightness: 0.755 });
  });

  it('accepts a short name and a numeric string', async () => {
    const printer = new FakePrinter();
    await setLedBrightness({ led: 'status', brightness: '0' }, createContext(printer));
    expect(printer.gcode).toEqual(['SET_LED LED=status RED=0.00 GREEN=0.00 BLUE=0.00 WHITE=0.00']);
  });

  it.each(['led\nM112', 'x; FIRMWARE_RESTART'])('rejects the injection %j', async (led) => {
    const printer = new FakePrinter();
    await expect(
      setLedBrightness({ led, brightness: 1 }, createContext(printer)),
    ).rejects.toMatchObject({
      code: 'invalid_identifier',
      message: `Invalid LED name ${JSON.stringify(led)}: use only letters, digits, '_', '-' and '.'`,
    });
    expect(printer.calls).toEqual([]);
  });

  it.each([1.5, -1])('rejects brightness %d', async (brightness) => {
    await expect(
      setLedBrightness({ led: 'status', brightness }, createContext()),
    ).rejects.toMatchObject({
      code: 'invalid_brightness',
      message: `Brightness ${brightness} is outside 0..1`,
    });
  });

  it('fails with led_command_failed', async () => {
    const printer = new FakePrinter();
    printer.failWith('runGcode', moonrakerFailure('Unknown LED'));
    await expect(
      setLedBrightness({ led: 'status', brightness: 1 }, createContext(printer)),
    ).rejects.toMatchObject({
      code: 'led_command_failed',
      message: 'Setting the LED failed: Unknown LED',
    });
  });
});
