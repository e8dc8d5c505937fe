/**
 * Deep merge over frozen JSON values with structural sharing: an unchanged branch keeps its old
 * (frozen) object, so a caller finds what changed by comparing references.
 */

export type FrozenRecord = Readonly<Record<string, unknown>>;

export const EMPTY_RECORD: FrozenRecord = Object.freeze({});

/** Key that `JSON.parse` keeps as an own property but an assignment would treat as the prototype. */
const PROTOTYPE_KEY = '__proto__';

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Merges `patch` into `base`: nested objects merge key by key, while arrays, scalars and `null`
 * replace the old value. Returns `base` itself when nothing changed, else a new frozen object.
 * `changed`, when given, receives the top-level keys whose value changed, the same keys that
 * `changedKeys(base, result)` returns.
 */
export function mergeRecord(
  base: FrozenRecord,
  patch: Readonly<Record<string, unknown>>,
  changed?: string[],
): FrozenRecord {
  let merged: Record<string, unknown> | undefined;
  for (const [key, patchValue] of Object.entries(patch)) {
    if (key === PROTOTYPE_KEY) continue;
    const previous = base[key];
    const next = mergeValue(previous, patchValue);
    if (next === previous && Object.hasOwn(base, key)) continue;
    merged ??= { ...base };
    merged[key] = next;
    changed?.push(key);
  }
  return merged ? Object.freeze(merged) : base;
}

/** Returns a deep-frozen copy of a JSON value; `__proto__` keys are dropped. */
export function freezeJson(value: unknown): unknown {
  if (Array.isArray(value)) return Object.freeze(value.map(freezeJson));
  if (!isPlainObject(value)) return value;

  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key !== PROTOTYPE_KEY) copy[key] = freezeJson(item);
  }
  return Object.freeze(copy);
}

export function jsonEqual(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (Array.isArray(left)) {
    return (
      Array.isArray(right) &&
      left.length === right.length &&
      left.every((item, index) => jsonEqual(item, right[index]))
    );
  }
  if (!isPlainObject(left) || !isPlainObject(right)) return false;

  const leftKeys = Object.keys(left);
  if (leftKeys.length !== Object.keys(right).length) return false;
  return leftKeys.every((key) => Object.hasOwn(right, key) && jsonEqual(left[key], right[key]));
}

/** Top-level keys whose values differ between two records (added, removed or changed). */
export function changedKeys(before: FrozenRecord, after: FrozenRecord): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter(
    (key) =>
      Object.hasOwn(before, key) !== Object.hasOwn(after, key) ||
      !jsonEqual(before[key], after[key]),
  );
}

function mergeValue(previous: unknown, patchValue: unknown): unknown {
  if (isPlainObject(previous) && isPlainObject(patchValue)) {
    return mergeRecord(previous, patchValue);
  }
  if (jsonEqual(previous, patchValue)) return previous;
  return freezeJson(patchValue);
}
