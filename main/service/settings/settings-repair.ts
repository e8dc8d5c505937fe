import type { z } from 'zod';

import { summarizeIssues } from '../../../shared/control-api/issue-message.js';
import { appSettingsSchema, type AppSettings } from '../../../shared/settings/app-settings.js';
import {
  printerNameKey,
  sanitizePrinterName,
  uniquePrinterName,
} from '../../../shared/settings/printer-names.js';
import { isObject, type SettingsDocument } from './migrations.js';

/** One part of a settings file that failed the schema and was dropped, reset or replaced. */
export interface SettingsRepair {
  /** Location in the file, such as `printers[1]` or `cloud.baseUrl`. */
  path: string;
  /** The problem, such as `printers[1].moonrakerUrl must be a valid URL`. */
  reason: string;
  /**
   * `dropped` for a printer entry removed from the list, `reset` for a field set to its default.
   * `replaced` for a value derived from the rest of the file, such as a printer name made from
   * the host of its Moonraker URL, and the reason then names the new value.
   */
  action: 'dropped' | 'reset' | 'replaced';
}

export interface RepairedSettings {
  settings: AppSettings;
  repairs: SettingsRepair[];
}

/**
 * Printer fields that may be removed alone: each is optional or has a default. An invalid name
 * is replaced. A printer with any other field invalid (id, Moonraker URL) is dropped, because it
 * cannot run without it.
 */
const REMOVABLE_PRINTER_FIELDS = new Set([
  'enabled',
  'deviceId',
  'printerId',
  'tenantId',
  'linkedAt',
  'instanceKey',
]);

/** Maximum repair rounds. One round settles every issue zod reports, so the second confirms it. */
const MAX_ROUNDS = 3;

/**
 * Keeps what is valid in a settings document that fails the schema. An invalid printer entry is
 * dropped, as is a later entry with an id seen before. An invalid printer name is replaced (see
 * `repairedName`), and a later printer with a name seen before gets a numbered suffix. A later
 * enabled printer with the Moonraker URL of an earlier one is disabled. Any other
 * invalid field is removed so that its default applies. Returns undefined when the document
 * cannot be repaired this way.
 */
export function repairSettings(document: SettingsDocument): RepairedSettings | undefined {
  const draft = structuredClone(document);
  const printers = draft['printers'];
  // Positions in the file of the draft's printers, so that each repair names the file's index.
  const positions = Array.isArray(printers) ? printers.map((_, index) => index) : [];
  const repairs: SettingsRepair[] = [];
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const parsed = appSettingsSchema.safeParse(draft);
    if (parsed.success) {
      const unique = dropDuplicateIds(parsed.data, positions, repairs);
      const named = renameDuplicateNames(unique, positions, repairs);
      return disableDuplicateUrls(named, positions, repairs);
    }
    if (!applyRepairs(draft, parsed.error.issues, positions, repairs)) return undefined;
  }
  return undefined;
}

/** Applies one round of repairs; returns false when an issue has no repair. */
function applyRepairs(
  draft: SettingsDocument,
  issues: readonly z.core.$ZodIssue[],
  positions: number[],
  repairs: SettingsRepair[],
): boolean {
  const dropped = new Map<number, string>();
  for (const issue of issues) {
    const index = printerIndexOf(issue.path);
    const field = issue.path[2];
    const repairable =
      typeof field === 'string' && (REMOVABLE_PRINTER_FIELDS.has(field) || field === 'name');
    if (index !== undefined && !repairable && !dropped.has(index)) {
      dropped.set(index, reasonOf(issue, positions));
    }
  }
  const renamed = new Set<number>();
  for (const issue of issues) {
    const index = printerIndexOf(issue.path);
    if (index !== undefined && dropped.has(index)) continue;
    if (index !== undefined && issue.path.length === 3 && issue.path[2] === 'name') {
      if (!renamed.has(index))
        replaceName(draft, index, reasonOf(issue, positions), positions, repairs);
      renamed.add(index);
      continue;
    }
    const path = fieldPathOf(issue.path);
    if (path.length === 0 || !removeAt(draft, path)) return false;
    repairs.push({
      path: formatPath(path, positions),
      reason: reasonOf(issue, positions),
      action: 'reset',
    });
  }
  dropPrinters(draft, dropped, positions, repairs);
  return true;
}

/**
 * Replaces the invalid name of the draft's printer at `index` with `repairedName` and records
 * the repair. A name that is then the same as another printer's is numbered after the parse.
 */
function replaceName(
  draft: SettingsDocument,
  index: number,
  reason: string,
  positions: readonly number[],
  repairs: SettingsRepair[],
): void {
  const printers = draft['printers'];
  const printer: unknown = Array.isArray(printers) ? printers[index] : undefined;
  if (!isObject(printer)) return;
  const position = positions[index] ?? index;
  const name = repairedName(printer['name'], printer['moonrakerUrl'], position);
  printer['name'] = name;
  repairs.push({
    path: `printers[${position}].name`,
    reason: `${reason}; replaced by "${name}"`,
    action: 'replaced',
  });
}

/**
 * Returns a valid name for a printer whose stored name is invalid. The first non-empty one wins:
 * the stored name without its control characters and cut to the maximum length, the host of its
 * Moonraker URL, and `Printer N` with the printer's position in the file counted from 1.
 */
export function repairedName(name: unknown, moonrakerUrl: unknown, position: number): string {
  const sanitized = typeof name === 'string' ? sanitizePrinterName(name) : '';
  if (sanitized !== '') return sanitized;
  const host = typeof moonrakerUrl === 'string' ? hostOf(moonrakerUrl) : '';
  const fromHost = sanitizePrinterName(host);
  return fromHost === '' ? `Printer ${position + 1}` : fromHost;
}

/** Returns the host of a URL without the brackets of an IPv6 address, or '' when it is invalid. */
function hostOf(url: string): string {
  if (!URL.canParse(url)) return '';
  return new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
}

/** Phrases an issue with the printer's index in the file. */
function reasonOf(issue: z.core.$ZodIssue, positions: readonly number[]): string {
  const index = printerIndexOf(issue.path);
  const path =
    index === undefined
      ? issue.path
      : ['printers', positions[index] ?? index, ...issue.path.slice(2)];
  return summarizeIssues([{ ...issue, path }], 'settings')
    .map((summary) => summary.message)
    .join('; ');
}

function printerIndexOf(path: readonly PropertyKey[]): number | undefined {
  return path[0] === 'printers' && typeof path[1] === 'number' ? path[1] : undefined;
}

/** Cuts a path after its last named key, so an invalid array element resets the whole array. */
function fieldPathOf(path: readonly PropertyKey[]): string[] {
  const keys = path.map((key) => (typeof key === 'string' ? key : undefined));
  const last = keys.findLastIndex((key) => key !== undefined);
  return path.slice(0, last + 1).map(String);
}

/** Removes the value at a path of object keys and array indexes; false when it is not there. */
function removeAt(draft: SettingsDocument, path: readonly string[]): boolean {
  let parent: unknown = draft;
  for (const key of path.slice(0, -1)) {
    parent = (parent as Record<string, unknown> | undefined)?.[key];
  }
  const key = path.at(-1) ?? '';
  if (!isObject(parent) || !(key in parent)) return false;
  Reflect.deleteProperty(parent, key);
  return true;
}

function dropPrinters(
  draft: SettingsDocument,
  dropped: ReadonlyMap<number, string>,
  positions: number[],
  repairs: SettingsRepair[],
): void {
  const printers = draft['printers'];
  if (!Array.isArray(printers) || dropped.size === 0) return;
  for (const [index, reason] of [...dropped].sort(([a], [b]) => a - b)) {
    repairs.push({ path: `printers[${positions[index] ?? index}]`, reason, action: 'dropped' });
  }
  draft['printers'] = printers.filter((_, index) => !dropped.has(index));
  const kept = positions.filter((_, index) => !dropped.has(index));
  positions.splice(0, positions.length, ...kept);
}

/**
 * Drops each printer whose id an earlier printer has, and removes its entry from `positions` so
 * that later repairs still name the file's indexes.
 */
function dropDuplicateIds(
  settings: AppSettings,
  positions: number[],
  repairs: SettingsRepair[],
): RepairedSettings {
  const seen = new Set<string>();
  const kept: number[] = [];
  const printers = settings.printers.filter((printer, index) => {
    const position = positions[index] ?? index;
    if (!seen.has(printer.id)) {
      seen.add(printer.id);
      kept.push(position);
      return true;
    }
    const path = `printers[${position}]`;
    repairs.push({ path, reason: `${path}.id: duplicate id "${printer.id}"`, action: 'dropped' });
    return false;
  });
  positions.splice(0, positions.length, ...kept);
  return { settings: { ...settings, printers }, repairs };
}

/**
 * Gives each printer whose name, compared by `printerNameKey`, is the same as an earlier
 * printer's the first free numbered name, such as `Voron (2)`, and records the repair.
 */
function renameDuplicateNames(
  repaired: RepairedSettings,
  positions: readonly number[],
  repairs: SettingsRepair[],
): RepairedSettings {
  const { settings } = repaired;
  const takenNames = settings.printers.map((printer) => printer.name);
  const seen = new Set<string>();
  const printers = settings.printers.map((printer, index) => {
    const key = printerNameKey(printer.name);
    if (!seen.has(key)) {
      seen.add(key);
      return printer;
    }
    const name = uniquePrinterName(printer.name, takenNames);
    takenNames.push(name);
    seen.add(printerNameKey(name));
    const path = `printers[${positions[index] ?? index}].name`;
    repairs.push({
      path,
      reason: `${path} "${printer.name}" is the name of another printer too; replaced by "${name}"`,
      action: 'replaced',
    });
    return { ...printer, name };
  });
  return { settings: { ...settings, printers }, repairs };
}

/** Formats a path of keys such as `printers.1.enabled` as `printers[1].enabled`, by file index. */
function formatPath(path: readonly string[], positions: readonly number[]): string {
  return path
    .map((key, index) => {
      if (!/^\d+$/.test(key)) return index === 0 ? key : `.${key}`;
      const position = path[0] === 'printers' && index === 1 ? positions[Number(key)] : undefined;
      return `[${position ?? key}]`;
    })
    .join('');
}

/**
 * Returns the key by which two Moonraker URLs count as the same printer, as `normalizeMoonrakerUrl`
 * of the printer records forms it: scheme, host and port in lowercase, the path without a final
 * slash.
 */
export function moonrakerUrlKey(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
}

/**
 * Returns the file index of the first enabled printer whose Moonraker URL an earlier printer
 * has, and the earlier one's, or undefined when every enabled printer has its own URL.
 */
export function firstDuplicateMoonrakerUrl(
  settings: AppSettings,
): { index: number; firstIndex: number } | undefined {
  const seen = new Map<string, number>();
  for (const [index, printer] of settings.printers.entries()) {
    const key = moonrakerUrlKey(printer.moonrakerUrl);
    const firstIndex = seen.get(key);
    if (firstIndex !== undefined && printer.enabled) return { index, firstIndex };
    if (firstIndex === undefined) seen.set(key, index);
  }
  return undefined;
}

/**
 * Disables each enabled printer whose Moonraker URL an earlier printer has, because two bridges
 * of one Moonraker would report the same printer twice, and records the repair.
 */
function disableDuplicateUrls(
  repaired: RepairedSettings,
  positions: readonly number[],
  repairs: SettingsRepair[],
): RepairedSettings {
  const { settings } = repaired;
  const firstPositions = new Map<string, number>();
  const printers = settings.printers.map((printer, index) => {
    const key = moonrakerUrlKey(printer.moonrakerUrl);
    const position = positions[index] ?? index;
    const first = firstPositions.get(key);
    if (first === undefined) {
      firstPositions.set(key, position);
      return printer;
    }
    if (!printer.enabled) return printer;
    const path = `printers[${position}].enabled`;
    repairs.push({
      path,
      reason:
        `printers[${position}].moonrakerUrl "${printer.moonrakerUrl}" is also the Moonraker URL ` +
        `of printers[${first}]; the later printer was disabled`,
      action: 'reset',
    });
    return { ...printer, enabled: false };
  });
  return { settings: { ...settings, printers }, repairs };
}
