import type { ObjectStatus } from './input.js';

/**
 * A structural check of `notify_status_update` params, the frame Moonraker sends several times a
 * second per printer. It accepts only values that the zod schemas of the frame accept too, so the
 * common frame skips zod. Anything it rejects goes on to zod, which then names the problem.
 */

/** Key that zod's record schema strips, so a value with it must take the zod path. */
const PROTOTYPE_KEY = '__proto__';

function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Object name to fields, every value a plain object, as `JSON.parse` builds it. */
export function isObjectStatus(value: unknown): value is ObjectStatus {
  if (!isRecord(value) || Object.hasOwn(value, PROTOTYPE_KEY)) return false;
  for (const key in value) {
    if (!isRecord(value[key])) return false;
  }
  return true;
}

/** Returns the objects of `[objects, eventtime, …]` params, or undefined for any other shape. */
export function statusUpdateObjects(params: unknown): ObjectStatus | undefined {
  if (!Array.isArray(params) || params.length === 0) return undefined;
  const objects: unknown = params[0];
  return isObjectStatus(objects) ? objects : undefined;
}
