import { outputPinValueParametersSchema } from '../../shared/contract/command-parameters.js';
import type { CommandContext, CommandResult } from './command-context.js';
import { requireObjectShortName } from './gcode-identifiers.js';
import { callPrinter, parseParameters, requireRange } from './handler-support.js';

/**
 * Handles `output-pin:set-value`. `pin` may be the object name (`output_pin relay`) or the short
 * name (`relay`). The value is the PWM duty cycle, or 0 or 1 for a digital pin.
 */
export async function setOutputPinValue(
  parameters: Record<string, unknown>,
  context: CommandContext,
): Promise<CommandResult> {
  const parsed = parseParameters(outputPinValueParametersSchema, parameters);
  const pin = requireObjectShortName(parsed.pin, 'output pin');
  const value = requireRange(parsed.value, 0, 1, 'invalid_value', 'Pin value');

  const script = `SET_PIN PIN=${pin} VALUE=${value.toFixed(2)}`;
  await callPrinter(
    () => context.actions.runGcode(script),
    'output_pin_command_failed',
    'Setting the output pin',
  );
  return { pin, value };
}
