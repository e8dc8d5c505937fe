import type { z } from 'zod';

import { formatPath } from '../control-api/issue-message.js';

/** A key of a settings document that its schema does not define, which parsing drops. */
export interface UnknownKey {
  /** Location of the key, such as `printers[0].moonraker_ur`. */
  path: string;
  /** The known key of the same object that is closest to it, when one is close enough. */
  suggestion?: string;
  /** A sentence for a log line or the terminal. */
  message: string;
}

/** The parts of zod 4's schema definitions that lead from a schema to the schemas inside it. */
interface SchemaDefinition {
  type: string;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
  getter?: () => z.ZodType;
}

/** Wrappers whose `innerType` describes the value. */
const WRAPPERS = new Set([
  'optional',
  'nullable',
  'default',
  'prefault',
  'readonly',
  'catch',
  'nonoptional',
]);

/**
 * Lists the keys of `value` that `schema` does not define, depth first in document order. Only
 * objects that drop unknown keys are checked: a strict object already rejects them, and a loose
 * one or a record accepts any key. Union members are not checked.
 */
export function findUnknownKeys(schema: z.ZodType, value: unknown): UnknownKey[] {
  const found: UnknownKey[] = [];
  visit(schema, value, [], found);
  return found;
}

function visit(schema: z.ZodType, value: unknown, path: PropertyKey[], found: UnknownKey[]): void {
  const def = definitionOf(schema);
  if (WRAPPERS.has(def.type) && def.innerType) return visit(def.innerType, value, path, found);
  if (def.type === 'pipe' && def.in) return visit(def.in, value, path, found);
  if (def.type === 'lazy' && def.getter) return visit(def.getter(), value, path, found);
  if (def.type === 'array' && def.element && Array.isArray(value)) {
    const element = def.element;
    value.forEach((item, index) => visit(element, item, [...path, index], found));
    return;
  }
  if (def.type === 'record' && def.valueType && isPlainObject(value)) {
    const valueType = def.valueType;
    for (const [key, item] of Object.entries(value)) visit(valueType, item, [...path, key], found);
    return;
  }
  if (def.type === 'object' && def.shape && isPlainObject(value)) {
    visitObject(def, def.shape, value, path, found);
  }
}

function visitObject(
  def: SchemaDefinition,
  shape: Record<string, z.ZodType>,
  value: Record<string, unknown>,
  path: PropertyKey[],
  found: UnknownKey[],
): void {
  const checksKeys = def.catchall === undefined;
  const known = Object.keys(shape);
  for (const [key, item] of Object.entries(value)) {
    const field = shape[key];
    if (field) visit(field, item, [...path, key], found);
    else if (checksKeys) found.push(unknownKey([...path, key], key, known));
  }
}

function unknownKey(path: PropertyKey[], key: string, known: readonly string[]): UnknownKey {
  const located = formatPath(path, '');
  const suggestion = closestKey(key, known);
  if (suggestion === undefined) {
    return { path: located, message: `Unknown setting ${located}; it is ignored` };
  }
  return {
    path: located,
    suggestion,
    message: `Unknown setting ${located}; did you mean ${suggestion}?`,
  };
}

/**
 * Returns the known key nearest to `key` by edit distance, ignoring case, `_` and `-`, when it
 * is at most a third of the key's length away (and at least one edit). A key that a known key
 * starts with, such as `sensors_interval` for `sensors_interval_seconds`, counts as one edit.
 */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  const simplified = simplify(key);
  const allowed = Math.max(1, Math.floor(simplified.length / 3));
  let best: { key: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = isTruncation(simplified, simplify(candidate))
      ? 1
      : editDistance(simplified, simplify(candidate));
    if (distance > allowed || (best && best.distance <= distance)) continue;
    best = { key: candidate, distance };
  }
  return best?.key;
}

function isTruncation(key: string, candidate: string): boolean {
  return key.length >= 4 && candidate.startsWith(key);
}

function simplify(key: string): string {
  return key.toLowerCase().replace(/[_-]/g, '');
}

/**
 * Edit distance with adjacent transpositions (optimal string alignment): the fewest insertions,
 * deletions, substitutions and swaps of two neighbouring letters from `a` to `b`.
 */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, index) => index)];
  for (let row = 1; row <= a.length; row += 1) {
    const current = [row];
    for (let column = 1; column <= b.length; column += 1) {
      current.push(cellDistance(rows, current, a, b, row, column));
    }
    rows.push(current);
  }
  return rows[a.length]?.[b.length] ?? 0;
}

function cellDistance(
  rows: readonly number[][],
  current: readonly number[],
  a: string,
  b: string,
  row: number,
  column: number,
): number {
  const above = rows[row - 1] ?? [];
  const cost = a[row - 1] === b[column - 1] ? 0 : 1;
  let best = Math.min(
    (above[column - 1] ?? 0) + cost,
    (above[column] ?? 0) + 1,
    (current[column - 1] ?? 0) + 1,
  );
  const swapped =
    row > 1 && column > 1 && a[row - 1] === b[column - 2] && a[row - 2] === b[column - 1];
  if (swapped) best = Math.min(best, (rows[row - 2]?.[column - 2] ?? 0) + 1);
  return best;
}

function definitionOf(schema: z.ZodType): SchemaDefinition {
  return (schema as unknown as { _zod: { def: SchemaDefinition } })._zod.def;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
