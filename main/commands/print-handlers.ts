import { printStartParametersSchema } from '../../shared/contract/command-parameters.js';
import { CodedError } from '../support/coded-error.js';
import type { CommandContext, CommandResult } from './command-context.js';
import { requirePrintFilename } from './gcode-identifiers.js';
import { callPrinter, parseParameters } from './handler-support.js';

/** Handlers of the `print:` family: job control, emergency stop and firmware restart. */

export type PrintAction = 'pause' | 'resume' | 'cancel';

/** Print states in which a new print cannot start. */
const BUSY_PRINT_STATES = new Set(['printing', 'paused']);

/**
 * Asks Moonraker to pause, resume or cancel the job. The command completes later, once
 * `print_stats.state` reaches the expected state, so the result is not sent in an ack. The
 * Moonraker client queries `print_stats` after the action, because Moonraker does not always push
 * the change.
 */
export async function runPrintAction(
  action: PrintAction,
  context: CommandContext,
): Promise<CommandResult> {
  await callPrinter(
    () => context.actions.printAction(action),
    'moonraker_error',
    `Print ${action}`,
  );
  return { command: `print:${action}` };
}

export async function emergencyStop(context: CommandContext): Promise<CommandResult> {
  await callPrinter(() => context.actions.emergencyStop(), 'moonraker_error', 'Emergency stop');
  return { command: 'print:emergency-stop' };
}

export async function firmwareRestart(context: CommandContext): Promise<CommandResult> {
  await callPrinter(() => context.actions.firmwareRestart(), 'moonraker_error', 'Firmware restart');
  return { command: 'print:firmware-restart' };
}

/** Starts a print of a file in the G-code folder, unless a job is printing or paused. */
export async function startPrint(
  parameters: Record<string, unknown>,
  context: CommandContext,
): Promise<CommandResult> {
  const { filename } = parseParameters(printStartParametersSchema, parameters);
  requirePrintFilename(filename);

  const state = context.state.printStatsState();
  if (state !== undefined && BUSY_PRINT_STATES.has(state.toLowerCase())) {
    throw new CodedError(
      'printer_busy',
      `Printer is ${state.toLowerCase()}; cancel or finish the current print first`,
    );
  }

  await callPrinter(() => context.actions.startPrint(filename), 'moonraker_error', 'Print start');
  return { command: 'print:start', filename };
}
