/**
 * Printer object status as Klipper reports it through Moonraker: object name to its fields. The
 * simulator keeps its own copy of these types so that it checks the client instead of sharing its
 * assumptions.
 */
export type StatusObjects = Record<string, Record<string, unknown>>;

/** Object name to the fields a request selects, `null` meaning every field. */
export type FieldSelection = Record<string, readonly string[] | null>;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Returns a copy of `value` that shares no objects or arrays with it. */
export function cloneJson<T>(value: T): T {
  return structuredClone(value);
}

/**
 * Merges `update` into `target` in place: nested plain objects merge key by key, and every other
 * value (arrays included) replaces the old one, as a status update from Klipper does.
 */
export function deepMerge(target: Record<string, unknown>, update: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(update)) {
    const existing = target[key];
    if (isPlainObject(existing) && isPlainObject(value)) {
      deepMerge(existing, value);
      continue;
    }
    target[key] = cloneJson(value);
  }
}

/** Applies one `notify_status_update` payload to a status store. */
export function mergeStatus(target: StatusObjects, update: Record<string, unknown>): void {
  for (const [name, fields] of Object.entries(update)) {
    if (!isPlainObject(fields)) continue;
    const existing = target[name];
    if (existing) {
      deepMerge(existing, fields);
    } else {
      target[name] = cloneJson(fields);
    }
  }
}

/**
 * Picks the selected objects and fields out of `status`. Objects and fields that do not exist are
 * left out without an error, as Moonraker documents for queries.
 */
export function selectStatus(status: StatusObjects, selection: FieldSelection): StatusObjects {
  const selected: StatusObjects = {};
  for (const [name, fields] of Object.entries(selection)) {
    const object = status[name];
    if (!object) continue;
    selected[name] = fields === null ? cloneJson(object) : pickFields(object, fields);
  }
  return selected;
}

function pickFields(
  object: Record<string, unknown>,
  fields: readonly string[],
): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const field of fields) {
    if (field in object) picked[field] = cloneJson(object[field]);
  }
  return picked;
}

/**
 * Parses the `objects` argument of a query or subscribe request. Returns undefined when it is not
 * an object whose values are `null` or lists of field names.
 */
export function parseFieldSelection(value: unknown): FieldSelection | undefined {
  if (!isPlainObject(value)) return undefined;
  const selection: Record<string, readonly string[] | null> = {};
  for (const [name, fields] of Object.entries(value)) {
    if (fields === null) {
      selection[name] = null;
      continue;
    }
    if (!Array.isArray(fields) || !fields.every((field) => typeof field === 'string')) {
      return undefined;
    }
    selection[name] = fields as string[];
  }
  return selection;
}

/**
 * Parses a query string the way Moonraker's object endpoints do: `?print_stats&webhooks=state`
 * selects every field of `print_stats` and the `state` field of `webhooks`.
 */
export function fieldSelectionFromQuery(params: URLSearchParams): FieldSelection {
  const selection: Record<string, readonly string[] | null> = {};
  for (const [name, value] of params) {
    selection[name] = value === '' ? null : value.split(',');
  }
  return selection;
}
