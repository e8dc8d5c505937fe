import { ledBrightnessParametersSchema } from '../../shared/contract/command-parameters.js';
import type { CommandContext, CommandResult } from './command-context.js';
import { requireObjectShortName } from './gcode-identifiers.js';
import { callPrinter, parseParameters, requireRange } from './handler-support.js';

/**
 * Handles `led:set-brightness`: sets every colour channel of the LED to the same brightness.
 * `led` may be the object name (`neopixel case`) or the short name (`case`).
 */
export async function setLedBrightness(
  parameters: Record<string, unknown>,
  context: CommandContext,
): Promise<CommandResult> {
  const parsed = parseParameters(ledBrightnessParametersSchema, parameters);
  const led = requireObjectShortName(parsed.led, 'LED');
  const brightness = requireRange(parsed.brightness, 0, 1, 'invalid_brightness', 'Brightness');

  const level = brightness.toFixed(2);
  const script = `SET_LED LED=${led} RED=${level} GREEN=${level} BLUE=${level} WHITE=${level}`;
  await callPrinter(
    () => context.actions.runGcode(script),
    'led_command_failed',
    'Setting the LED',
  );
  return { led, brightness };
}
