import { objectExcludeParametersSchema } from '../../shared/contract/command-parameters.js';
import { CodedError, errorMessage } from '../support/coded-error.js';
import type { CommandContext, CommandResult } from './command-context.js';
import { requireKlipperIdentifier } from './gcode-identifiers.js';
import { callPrinter, parseParameters } from './handler-support.js';

/**
 * Handles `object:exclude`: skips one object of the running print. The object must be one that
 * `exclude_object` lists for the current file. The G-code is sent without waiting, because
 * Klipper may hold the script until the current move finishes.
 */
export async function excludeObject(
  parameters: Record<string, unknown>,
  context: CommandContext,
): Promise<CommandResult> {
  const parsed = parseParameters(objectExcludeParametersSchema, parameters);
  if (!parsed.objectName) {
    throw new CodedError('missing_parameter', "Parameter 'objectName' is required");
  }
  const requested = requireKlipperIdentifier(parsed.objectName, 'object', 'invalid_object_name');
  const objectName = await findPrintObject(requested, context);

  const script = `EXCLUDE_OBJECT NAME=${objectName}`;
  await callPrinter(
    () => context.actions.sendGcodeNoWait(script),
    'send_error',
    'Excluding the object',
  );
  return { objectName };
}

/** Returns the object's name as Klipper lists it; Klipper compares these names upper-cased. */
async function findPrintObject(requested: string, context: CommandContext): Promise<string> {
  const names = await readPrintObjects(context);
  const found = names.find((name) => name.toUpperCase() === requested.toUpperCase());
  if (found === undefined) {
    const known = names.length > 0 ? names.join(', ') : 'none';
    throw new CodedError(
      'object_not_found',
      `Object ${requested} is not in the print; objects: ${known}`,
    );
  }
  return requireKlipperIdentifier(found, 'object', 'invalid_object_name');
}

async function readPrintObjects(context: CommandContext): Promise<string[]> {
  let status;
  try {
    status = await context.actions.queryObjects({ exclude_object: ['objects'] });
  } catch (error) {
    throw new CodedError(
      'state_unavailable',
      `Cannot read the objects of the print: ${errorMessage(error)}`,
      { cause: error },
    );
  }
  const objects = status.exclude_object?.objects;
  if (!Array.isArray(objects)) return [];
  return objects
    .map((entry: unknown) => (isNamed(entry) ? entry.name : undefined))
    .filter((name): name is string => name !== undefined);
}

function isNamed(entry: unknown): entry is { name: string } {
  return (
    typeof entry === 'object' &&
    entry !== null &&
    typeof (entry as { name?: unknown }).name === 'string'
  );
}
