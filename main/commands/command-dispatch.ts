import type { CommandName } from '../../shared/contract/commands.js';
import { assertNever } from '../support/coded-error.js';
import type { CommandContext, CommandResult } from './command-context.js';
import { setFanSpeed } from './fan-handler.js';
import { setHeaterTarget, turnOffHeater } from './heater-handlers.js';
import { setLedBrightness } from './led-handler.js';
import { runMacro } from './macro-handler.js';
import { excludeObject } from './object-handler.js';
import { setOutputPinValue } from './output-pin-handler.js';
import { adjustZOffset, resetZOffset, setPrintPercent } from './print-param-handlers.js';
import { emergencyStop, firmwareRestart, runPrintAction, startPrint } from './print-handlers.js';
import { setTelemetryRate } from './telemetry-rate-handler.js';

/** Runs the handler of a command; a failure is thrown as CodedError with a command error code. */
export function runCommandHandler(
  name: CommandName,
  parameters: Record<string, unknown>,
  context: CommandContext,
): Promise<CommandResult> {
  switch (name) {
    case 'print:pause':
      return runPrintAction('pause', context);
    case 'print:resume':
      return runPrintAction('resume', context);
    case 'print:cancel':
      return runPrintAction('cancel', context);
    case 'print:emergency-stop':
      return emergencyStop(context);
    case 'print:firmware-restart':
      return firmwareRestart(context);
    case 'print:start':
      return startPrint(parameters, context);
    case 'control:set-telemetry-rate':
      return setTelemetryRate(parameters, context);
    case 'heater:set-target':
      return setHeaterTarget(parameters, context);
    case 'heater:turn-off':
      return turnOffHeater(parameters, context);
    case 'fan:set-speed':
      return setFanSpeed(parameters, context);
    case 'led:set-brightness':
      return setLedBrightness(parameters, context);
    case 'output-pin:set-value':
      return setOutputPinValue(parameters, context);
    case 'print-param:set-speed':
      return setPrintPercent('speed', parameters, context);
    case 'print-param:set-flow':
      return setPrintPercent('flow', parameters, context);
    case 'print-param:set-z-offset':
      return adjustZOffset(parameters, context);
    case 'print-param:reset-z-offset':
      return resetZOffset(context);
    case 'gcode:macro':
      return runMacro(parameters, context);
    case 'object:exclude':
      return excludeObject(parameters, context);
    default:
      return assertNever(name, 'command');
  }
}
