import {
  heaterTargetParametersSchema,
  heaterTurnOffParametersSchema,
} from '../../shared/contract/command-parameters.js';
import { CodedError } from '../support/coded-error.js';
import type { CommandContext, CommandResult } from './command-context.js';
import { requireKlipperIdentifier } from './gcode-identifiers.js';
import { callPrinter, parseParameters, requireRange } from './handler-support.js';

/** Handlers of the `heater:` family. Heater names are Klipper object names, lower-cased. */

/** Heaters assumed while Moonraker has not reported `heaters.available_heaters` yet. */
export const FALLBACK_HEATERS = ['extruder', 'heater_bed'];

const GENERIC_HEATER_PREFIX = 'heater_generic ';

/** Highest target in °C a command may set, by heater name. */
export function maxTargetOf(heater: string): number {
  if (heater.startsWith('extruder')) return 300;
  if (heater === 'heater_bed') return 120;
  if (heater.startsWith('heater_generic')) return 150;
  return 100;
}

export async function setHeaterTarget(
  parameters: Record<string, unknown>,
  context: CommandContext,
): Promise<CommandResult> {
  const { heater, target } = parseParameters(heaterTargetParametersSchema, parameters);
  const gcodeName = resolveHeater(heater, context);
  requireRange(target, 0, maxTargetOf(heater), 'invalid_target', `Target for ${heater}`);

  const script = `SET_HEATER_TEMPERATURE HEATER=${gcodeName} TARGET=${target.toFixed(1)}`;
  await callPrinter(() => context.actions.runGcode(script), 'gcode_error', 'Setting the heater');
  return { heater, target };
}

export async function turnOffHeater(
  parameters: Record<string, unknown>,
  context: CommandContext,
): Promise<CommandResult> {
  const { heater } = parseParameters(heaterTurnOffParametersSchema, parameters);
  const gcodeName = resolveHeater(heater, context);

  const script = `SET_HEATER_TEMPERATURE HEATER=${gcodeName} TARGET=0`;
  await callPrinter(
    () => context.actions.runGcode(script),
    'gcode_error',
    'Turning the heater off',
  );
  return { heater, target: 0 };
}

/**
 * Checks that the heater exists and returns the name SET_HEATER_TEMPERATURE expects: the spelling
 * Moonraker reported, and for a `heater_generic NAME` heater only the short name, because that is
 * how Klipper registers it.
 */
function resolveHeater(heater: string, context: CommandContext): string {
  const available = context.state.availableHeaters() ?? FALLBACK_HEATERS;
  const reported = available.find((name) => name.toLowerCase() === heater);
  if (reported === undefined) {
    const valid = available.length > 0 ? available.join(', ') : 'none reported';
    throw new CodedError(
      'invalid_heater',
      `Unknown heater ${JSON.stringify(heater)}; valid heaters: ${valid}`,
    );
  }

  const shortName = reported.toLowerCase().startsWith(GENERIC_HEATER_PREFIX)
    ? reported.slice(GENERIC_HEATER_PREFIX.length)
    : reported;
  return requireKlipperIdentifier(shortName, 'heater', 'invalid_heater');
}
