import { z } from 'zod';

/** Maximum length of a printer name, in UTF-16 code units as zod counts them. */
export const MAX_PRINTER_NAME_LENGTH = 64;

/**
 * Control characters (C0, DEL and C1, such as NUL, tab and line feed) and the Unicode line and
 * paragraph separators. A name with one of them breaks log lines and the one-line views.
 */
const CONTROL_CHARACTERS = /[\p{Cc}\u2028\u2029]/u;
const CONTROL_CHARACTERS_GLOBAL = /[\p{Cc}\u2028\u2029]/gu;

/**
 * Format characters (Unicode category Cf), such as the zero-width space U+200B and the
 * right-to-left override U+202E. They are invisible, so two names that look the same could differ.
 * NOTE: this also rejects the zero-width joiner U+200D, so an emoji sequence such as a family
 * emoji cannot be part of a name.
 */
const FORMAT_CHARACTERS = /\p{Cf}/u;
const FORMAT_CHARACTERS_GLOBAL = /\p{Cf}/gu;

/**
 * A printer's display name: trimmed, 1 to 64 characters, without control or format characters.
 */
export const printerNameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_PRINTER_NAME_LENGTH, `must be at most ${MAX_PRINTER_NAME_LENGTH} characters`)
  .refine(
    (name) => !CONTROL_CHARACTERS.test(name),
    'must not contain control characters such as a line break, a tab or NUL',
  )
  .refine(
    (name) => !FORMAT_CHARACTERS.test(name),
    'must not contain invisible format characters such as U+200B or U+202E',
  );

/** Returns the form by which two names count as the same name: trimmed, NFC and lower case. */
export function printerNameKey(name: string): string {
  return name.trim().normalize('NFC').toLowerCase();
}

/**
 * Returns the printer other than `exceptId` whose name equals `name` without regard to case and
 * surrounding spaces, if there is one.
 */
export function printerNamed<P extends { id: string; name: string }>(
  printers: readonly P[],
  name: string,
  exceptId?: string,
): P | undefined {
  const key = printerNameKey(name);
  return printers.find(
    (printer) => printer.id !== exceptId && printerNameKey(printer.name) === key,
  );
}

/**
 * Returns `base` made valid: format characters are removed, control characters become spaces,
 * runs of spaces one space, and the result is trimmed and cut to the maximum length. Returns an
 * empty string when nothing is left.
 */
export function sanitizePrinterName(base: string): string {
  const spaced = base
    .replace(FORMAT_CHARACTERS_GLOBAL, '')
    .replace(CONTROL_CHARACTERS_GLOBAL, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return cutToLength(spaced, MAX_PRINTER_NAME_LENGTH).trim();
}

/** Cuts `text` to at most `length` UTF-16 code units without splitting a surrogate pair. */
function cutToLength(text: string, length: number): string {
  return text.slice(0, length).replace(/[\uD800-\uDBFF]$/, '');
}

/**
 * Returns `base`, or `base (2)`, `base (3)` and so on, whichever is the first that no name in
 * `takenNames` matches by `printerNameKey`. The base is shortened so that the result stays within
 * the maximum length.
 */
export function uniquePrinterName(base: string, takenNames: Iterable<string>): string {
  const keys = new Set([...takenNames].map(printerNameKey));
  if (!keys.has(printerNameKey(base))) return base;
  for (let number = 2; ; number += 1) {
    const suffix = ` (${number})`;
    const stem = cutToLength(base, MAX_PRINTER_NAME_LENGTH - suffix.length).trimEnd();
    const candidate = `${stem}${suffix}`;
    if (!keys.has(printerNameKey(candidate))) return candidate;
  }
}
