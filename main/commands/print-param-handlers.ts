import {
  printPercentParametersSchema,
  zOffsetParametersSchema,
} from '../../shared/contract/command-parameters.js';
import type { CommandContext, CommandResult } from './command-context.js';
import { callPrinter, parseParameters, requireRange } from './handler-support.js';

/** Handlers of the `print-param:` family: speed and flow factors and the live Z offset. */

export const MIN_PERCENT = 1;
export const MAX_PERCENT = 999;
/** Largest Z adjustment in millimetres a single command may apply. */
export const MAX_Z_ADJUST_MM = 1;

/** Sets the speed factor (M220) or the extrusion factor (M221) in percent, rounded to integers. */
export async function setPrintPercent(
  kind: 'speed' | 'flow',
  parameters: Record<string, unknown>,
  context: CommandContext,
): Promise<CommandResult> {
  const parsed = parseParameters(printPercentParametersSchema, parameters);
  const code = kind === 'speed' ? 'invalid_speed' : 'invalid_flow';
  const label = kind === 'speed' ? 'Speed factor' : 'Flow factor';
  requireRange(parsed.percent, MIN_PERCENT, MAX_PERCENT, code, `${label} percent`);

  const percent = Math.round(parsed.percent);
  const script = `${kind === 'speed' ? 'M220' : 'M221'} S${percent}`;
  await callPrinter(() => context.actions.runGcode(script), 'gcode_error', `Setting the ${kind}`);
  return { percent };
}

/** Moves the Z offset by `adjustMm` relative to its current value, moving the toolhead too. */
export async function adjustZOffset(
  parameters: Record<string, unknown>,
  context: CommandContext,
): Promise<CommandResult> {
  const parsed = parseParameters(zOffsetParametersSchema, parameters);
  const adjustMm = requireRange(
    parsed.adjustMm,
    -MAX_Z_ADJUST_MM,
    MAX_Z_ADJUST_MM,
    'invalid_z_offset',
    'Z adjustment in mm',
  );

  const script = `SET_GCODE_OFFSET Z_ADJUST=${adjustMm.toFixed(3)} MOVE=1`;
  await callPrinter(
    () => context.actions.runGcode(script),
    'gcode_error',
    'Adjusting the Z offset',
  );
  return { adjustMm };
}

export async function resetZOffset(context: CommandContext): Promise<CommandResult> {
  const script = 'SET_GCODE_OFFSET Z=0 MOVE=1';
  await callPrinter(
    () => context.actions.runGcode(script),
    'gcode_error',
    'Resetting the Z offset',
  );
  return { zOffsetMm: 0 };
}
