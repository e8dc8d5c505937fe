import type { z } from 'zod';

import { COMMAND_ERROR_CODES } from '../../shared/contract/commands.js';
import type { CommandErrorCode } from '../../shared/contract/commands.js';
import { CodedError, errorMessage } from '../support/coded-error.js';

/** Pieces that several command handlers share: parameter checks, printer calls and errors. */

/** Parses parameters with a schema, throwing `invalid_parameters` that names each bad field. */
export function parseParameters<Schema extends z.ZodType>(
  schema: Schema,
  parameters: Record<string, unknown>,
): z.output<Schema> {
  const parsed = schema.safeParse(parameters);
  if (parsed.success) return parsed.data;

  const problems = parsed.error.issues.map((issue) => {
    const field = issue.path.map(String).join('.') || 'parameters';
    return `'${field}' ${issue.message}`;
  });
  throw new CodedError('invalid_parameters', `Invalid parameters: ${problems.join(', ')}`);
}

/** Throws the given code unless `value` lies within `[min, max]`. */
export function requireRange(
  value: number,
  min: number,
  max: number,
  code: CommandErrorCode,
  label: string,
): number {
  if (value >= min && value <= max) return value;
  throw new CodedError(code, `${label} ${value} is outside ${min}..${max}`);
}

/**
 * Runs a printer call and turns its failure into the command error `code`, keeping the original
 * error as the cause.
 */
export async function callPrinter<T>(
  call: () => Promise<T>,
  code: CommandErrorCode,
  operation: string,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new CodedError(code, `${operation} failed: ${errorMessage(error)}`, { cause: error });
  }
}

const KNOWN_CODES: ReadonlySet<string> = new Set(COMMAND_ERROR_CODES);

/** Maps a handler error to an ack reason. Errors without a command error code become `command_failed`. */
export function ackReasonOf(error: unknown): { code: string; message: string } {
  const message = errorMessage(error) || 'Command failed';
  const known = error instanceof CodedError && KNOWN_CODES.has(error.code);
  return { code: known ? error.code : 'command_failed', message };
}
