import { scenarioNames } from '../../simulator/moonraker-simulator.js';
import type { ScenarioName } from '../../simulator/moonraker-simulator.js';
import { CodedError } from '../../support/coded-error.js';
import {
  isSettableLogLevel,
  SETTABLE_LOG_LEVELS,
  type SettableLogLevel,
} from '../../support/log-level.js';

type OptionValue = string | boolean | undefined;

export function parseSpeed(value: OptionValue, fallback: number): number {
  if (value === undefined) return fallback;
  const speed = Number(value);
  if (Number.isFinite(speed) && speed > 0) return speed;
  throw new CodedError(
    'invalid_option',
    `--speed must be a number above 0, got "${String(value)}"`,
  );
}

export function parseSeconds(value: OptionValue, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds > 0) return seconds;
  throw new CodedError(
    'invalid_option',
    `--${name} must be a number of seconds above 0, got "${String(value)}"`,
  );
}

export function parsePort(value: OptionValue, fallback: number): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (Number.isInteger(port) && port >= 0 && port <= 65_535) return port;
  throw new CodedError('invalid_option', `A port must be 0 to 65535, got "${String(value)}"`);
}

export function parseCount(
  value: OptionValue,
  fallback: number,
  name: string,
  max: number,
): number {
  if (value === undefined) return fallback;
  const count = Number(value);
  if (Number.isInteger(count) && count >= 1 && count <= max) return count;
  throw new CodedError(
    'invalid_option',
    `--${name} must be a whole number from 1 to ${max}, got "${String(value)}"`,
  );
}

export function parseScenario(value: OptionValue): ScenarioName {
  if (value === undefined) return 'printing';
  const name = String(value);
  if ((scenarioNames as readonly string[]).includes(name)) return name as ScenarioName;
  const known = scenarioNames.join(', ');
  throw new CodedError('invalid_option', `Unknown scenario "${name}"; choose one of ${known}`);
}

/** Returns the `--log-level` override, or undefined when the option is absent. */
export function parseLogLevel(value: OptionValue): SettableLogLevel | undefined {
  if (value === undefined) return undefined;
  if (isSettableLogLevel(value)) return value;
  const levels = SETTABLE_LOG_LEVELS.join(', ');
  throw new CodedError(
    'invalid_option',
    `--log-level must be one of ${levels}, got "${String(value)}"`,
  );
}

/**
 * Returns the exit code for an error that ended a command: 2 for a usage error (an invalid option
 * or configuration file, or an argument that `parseArgs` rejected), 1 for any other error.
 */
export function exitCodeOf(error: unknown): number {
  if (error instanceof CodedError) {
    return error.code === 'invalid_option' || error.code.startsWith('config_') ? 2 : 1;
  }
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_') ? 2 : 1;
}
