import { fanSpeedParametersSchema } from '../../shared/contract/command-parameters.js';
import type { CommandContext, CommandResult } from './command-context.js';
import { requireKlipperIdentifier } from './gcode-identifiers.js';
import { callPrinter, parseParameters, requireRange } from './handler-support.js';

/** Section prefixes stripped from a fan's object name before it goes into SET_FAN_SPEED. */
const FAN_PREFIXES = ['fan_generic ', 'heater_fan ', 'controller_fan '];

/**
 * Handles `fan:set-speed`. The part cooling fan (`fan`) is driven with M106/M107; any other fan
 * gets SET_FAN_SPEED, which Klipper only accepts for `fan_generic` fans, so setting another kind
 * fails with `gcode_error`.
 */
export async function setFanSpeed(
  parameters: Record<string, unknown>,
  context: CommandContext,
): Promise<CommandResult> {
  const parsed = parseParameters(fanSpeedParametersSchema, parameters);
  const fan = requireKlipperIdentifier(stripFanPrefix(parsed.fan), 'fan');
  const speed = requireRange(parsed.speed, 0, 1, 'invalid_speed', 'Fan speed');

  const script = fanScript(fan, speed);
  await callPrinter(() => context.actions.runGcode(script), 'gcode_error', 'Setting the fan');
  return { fan, speed };
}

function fanScript(fan: string, speed: number): string {
  if (fan.toLowerCase() !== 'fan') return `SET_FAN_SPEED FAN=${fan} SPEED=${speed.toFixed(2)}`;
  if (speed === 0) return 'M107';
  return `M106 S${Math.trunc(speed * 255)}`;
}

function stripFanPrefix(name: string): string {
  const prefix = FAN_PREFIXES.find((candidate) => name.toLowerCase().startsWith(candidate));
  return prefix === undefined ? name : name.slice(prefix.length);
}
