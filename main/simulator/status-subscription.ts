import {
  isPlainObject,
  selectStatus,
  type FieldSelection,
  type StatusObjects,
} from './object-status.js';

/**
 * One websocket client's `printer.objects.subscribe` selection and what it was last sent. Klipper
 * compares each subscribed field with the value it last reported and sends only fields that
 * changed, a whole field at a time (a changed `print_stats.info` goes out complete).
 */
export class StatusSubscription {
  private selection: FieldSelection = {};
  /** Object name to field name to the JSON text of the value last sent. */
  private readonly sent = new Map<string, Map<string, string>>();

  get isEmpty(): boolean {
    return Object.keys(this.selection).length === 0;
  }

  get fields(): FieldSelection {
    return this.selection;
  }

  /**
   * Replaces the selection, as a new subscribe request does, and returns the current value of
   * every selected field. That response becomes the baseline for later changes.
   */
  replace(selection: FieldSelection, current: StatusObjects): StatusObjects {
    this.selection = selection;
    this.sent.clear();
    const response = selectStatus(current, selection);
    this.remember(response);
    return response;
  }

  /** Drops the selection, as Moonraker does for every client when it loses Klippy. */
  clear(): void {
    this.selection = {};
    this.sent.clear();
  }

  /**
   * Returns the selected fields whose value differs from the one last sent, and records them as
   * sent. Returns undefined when nothing changed.
   */
  takeChanges(current: StatusObjects): StatusObjects | undefined {
    const changes: StatusObjects = {};
    let changed = false;
    for (const [name, object] of Object.entries(selectStatus(current, this.selection))) {
      const objectChanges = this.changedFields(name, object);
      if (!objectChanges) continue;
      changes[name] = objectChanges;
      changed = true;
    }
    if (!changed) return undefined;
    this.remember(changes);
    return changes;
  }

  /**
   * Keeps the subscribed part of a recorded status update. Returns the update itself when every
   * part of it is subscribed, a reduced copy when only some are, and undefined when none are.
   */
  filterUpdate(update: Record<string, unknown>): Record<string, unknown> | undefined {
    const kept: Record<string, unknown> = {};
    let complete = true;
    for (const [name, fields] of Object.entries(update)) {
      const wanted = this.selection[name];
      if (wanted === undefined || !isPlainObject(fields)) {
        complete = false;
        continue;
      }
      const picked = wanted === null ? fields : pickListed(fields, wanted);
      if (picked !== fields) complete = false;
      if (Object.keys(picked).length > 0) kept[name] = picked;
    }
    if (complete) return update;
    return Object.keys(kept).length > 0 ? kept : undefined;
  }

  private changedFields(
    name: string,
    object: Record<string, unknown>,
  ): Record<string, unknown> | undefined {
    const sentFields = this.sent.get(name);
    const changes: Record<string, unknown> = {};
    let changed = false;
    for (const [field, value] of Object.entries(object)) {
      if (sentFields?.get(field) === JSON.stringify(value)) continue;
      changes[field] = value;
      changed = true;
    }
    return changed ? changes : undefined;
  }

  private remember(status: StatusObjects): void {
    for (const [name, object] of Object.entries(status)) {
      let sentFields = this.sent.get(name);
      if (!sentFields) {
        sentFields = new Map();
        this.sent.set(name, sentFields);
      }
      for (const [field, value] of Object.entries(object)) {
        sentFields.set(field, JSON.stringify(value));
      }
    }
  }
}

/** Returns `fields` itself when it contains only listed keys, else a copy reduced to them. */
function pickListed(
  fields: Record<string, unknown>,
  wanted: readonly string[],
): Record<string, unknown> {
  const keys = Object.keys(fields);
  if (keys.every((key) => wanted.includes(key))) return fields;
  const picked: Record<string, unknown> = {};
  for (const key of keys) {
    if (wanted.includes(key)) picked[key] = fields[key];
  }
  return picked;
}
