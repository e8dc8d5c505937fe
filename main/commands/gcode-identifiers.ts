import type { CommandErrorCode } from '../../shared/contract/commands.js';
import { CodedError } from '../support/coded-error.js';

/**
 * Checks for every value that is written into a G-code script. Klipper runs each line of a script
 * as its own command, so a newline or `;` in a name could append commands such as `M112`. Names
 * are therefore limited to the characters Klipper object names use, and nothing is escaped.
 */

/** Characters of Klipper fan, LED, pin and heater names, and of exclude_object object names. */
export const KLIPPER_IDENTIFIER_PATTERN = /^[A-Za-z0-9_\-.]+$/;

/** Characters of a G-code macro name once it is upper-cased. */
export const MACRO_NAME_PATTERN = /^[A-Z0-9_]+$/;

/** C0 and C1 control characters, DEL, and the Unicode line and paragraph separators. */
function hasControlCharacter(text: string): boolean {
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029) {
      return true;
    }
  }
  return false;
}

/** Returns the name when it is a safe Klipper identifier, else throws with the given code. */
export function requireKlipperIdentifier(
  name: string,
  label: string,
  code: CommandErrorCode = 'invalid_identifier',
): string {
  if (KLIPPER_IDENTIFIER_PATTERN.test(name)) return name;
  throw new CodedError(
    code,
    `Invalid ${label} name ${JSON.stringify(name)}: use only letters, digits, '_', '-' and '.'`,
  );
}

/**
 * Returns the name part of an object name given as `name` or as `section name` (such as
 * `neopixel case`), after checking that both parts are safe Klipper identifiers.
 */
export function requireObjectShortName(
  objectName: string,
  label: string,
  code: CommandErrorCode = 'invalid_identifier',
): string {
  const parts = objectName.split(' ');
  const safe = parts.length <= 2 && parts.every((part) => KLIPPER_IDENTIFIER_PATTERN.test(part));
  if (!safe) requireKlipperIdentifier(objectName, label, code);
  return parts.at(-1) ?? objectName;
}

/**
 * Returns the macro name upper-cased, as Klipper registers macros. Names with a leading `_` are
 * private helpers of other macros by Klipper convention and are rejected with `forbidden_macro`.
 */
export function normalizeMacroName(name: string): string {
  const upper = name.trim().toUpperCase();
  if (!MACRO_NAME_PATTERN.test(upper)) {
    throw new CodedError(
      'invalid_identifier',
      `Invalid macro name ${JSON.stringify(name)}: use only letters, digits and '_'`,
    );
  }
  if (upper.startsWith('_')) {
    throw new CodedError('forbidden_macro', `Macro '${upper}' starts with '_' and is internal`);
  }
  return upper;
}

/**
 * Returns the file name when it is safe to pass to `printer.print.start`: a path relative to the
 * G-code root, without `..` segments and without control characters or line breaks.
 */
export function requirePrintFilename(filename: string): string {
  const fail = (problem: string): never => {
    throw new CodedError(
      'invalid_filename',
      `Invalid file name ${JSON.stringify(filename)}: ${problem}`,
    );
  };

  if (filename.length === 0) fail('it is empty');
  if (hasControlCharacter(filename)) fail('it contains control characters');
  if (/^([/\\]|[A-Za-z]:)/.test(filename)) fail('it must be relative to the G-code folder');
  if (filename.split(/[/\\]/).includes('..')) fail("it must not contain '..' segments");
  return filename;
}
