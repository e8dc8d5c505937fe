import { macroParametersSchema } from '../../shared/contract/command-parameters.js';
import { CodedError } from '../support/coded-error.js';
import type { CommandContext, CommandResult } from './command-context.js';
import { normalizeMacroName } from './gcode-identifiers.js';
import { callPrinter, parseParameters } from './handler-support.js';

const MACRO_OBJECT_PREFIX = 'gcode_macro ';

/**
 * Maximum run time of a macro before its command fails. Macros such as a print start sequence can
 * heat and probe for minutes, and Moonraker responds to the script call when the macro has finished.
 * NOTE: ten minutes is an estimate; a longer macro keeps running but its command fails.
 */
export const MACRO_TIMEOUT_MS = 10 * 60 * 1000;

/**
 * Handles `gcode:macro`: runs a macro without arguments. The printer must list the macro as a
 * `gcode_macro` object. While the object list is unknown the command fails, so that no unchecked
 * name is sent.
 */
export async function runMacro(
  parameters: Record<string, unknown>,
  context: CommandContext,
): Promise<CommandResult> {
  const parsed = parseParameters(macroParametersSchema, parameters);
  const macro = normalizeMacroName(parsed.macro);
  requireMacroExists(macro, context);

  await callPrinter(
    () => context.actions.runGcode(macro, { timeoutMs: MACRO_TIMEOUT_MS }),
    'gcode_error',
    `Macro ${macro}`,
  );
  return { macro };
}

/** Klipper matches macro names case-insensitively, while the config may spell them either way. */
function requireMacroExists(macro: string, context: CommandContext): void {
  const objects = context.state.objectNames();
  if (objects.length === 0) {
    throw new CodedError(
      'macro_preflight_failed',
      `Cannot check that macro ${macro} exists: the printer object list is not known yet`,
    );
  }
  const macros = objects
    .filter((name) => name.toLowerCase().startsWith(MACRO_OBJECT_PREFIX))
    .map((name) => name.slice(MACRO_OBJECT_PREFIX.length).trim().toUpperCase());
  if (!macros.includes(macro)) {
    throw new CodedError('unknown_macro', `Macro ${macro} is not defined on this printer`);
  }
}
