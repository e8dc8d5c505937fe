import type { z } from 'zod';

import {
  appSettingsSchema,
  SETTINGS_VERSION,
  type AppSettings,
} from '../../../shared/settings/app-settings.js';
import { summarizeIssues } from '../../../shared/control-api/issue-message.js';
import { printerNameKey } from '../../../shared/settings/printer-names.js';
import { findUnknownKeys, type UnknownKey } from '../../../shared/settings/unknown-keys.js';
import { errorMessage } from '../../support/coded-error.js';
import { migrateSettingsDocument, readSettingsVersion } from './migrations.js';
import { createRedactor } from './secret-redaction.js';
import {
  firstDuplicateMoonrakerUrl,
  repairSettings,
  type SettingsRepair,
} from './settings-repair.js';

/**
 * Outcome of reading the stored settings text, before the store acts on it. `unknownKeys` lists
 * the keys of the file that the schema does not define, after any migration.
 */
export type SettingsReading =
  | { kind: 'missing' }
  | { kind: 'current'; settings: AppSettings; unknownKeys: readonly UnknownKey[] }
  | {
      kind: 'migrated';
      settings: AppSettings;
      fromVersion: number;
      steps: readonly string[];
      unknownKeys: readonly UnknownKey[];
    }
  | { kind: 'corrupt'; problem: string }
  | {
      kind: 'repaired';
      settings: AppSettings;
      repairs: readonly SettingsRepair[];
      unknownKeys: readonly UnknownKey[];
    }
  | { kind: 'newer'; version: number; settings: AppSettings | undefined };

export type SettingsValidation =
  { ok: true; settings: AppSettings } | { ok: false; problem: string };

/** Some Windows editors start UTF-8 files with a byte order mark, which JSON.parse rejects. */
const LEADING_BOM = /^\uFEFF/;

/** At most this many schema issues are named in a message; the rest are counted. */
const MAX_LISTED_ISSUES = 3;

export function defaultSettings(): AppSettings {
  return appSettingsSchema.parse({ version: SETTINGS_VERSION });
}

/**
 * Parses, migrates and validates the stored text. Text that is not a JSON object becomes a
 * `corrupt` reading, and a JSON object that fails the schema in places a `repaired` one. An
 * invalid `version` field is repaired too: the file is read as the version that
 * `readSettingsVersion` assumes.
 */
export function readSettingsText(text: string | undefined): SettingsReading {
  if (text === undefined) return { kind: 'missing' };

  let document: unknown;
  try {
    document = JSON.parse(text.replace(LEADING_BOM, ''));
  } catch (error) {
    // V8 quotes part of the text in its message, so secret-looking values are removed from it.
    const reason = createRedactor().text(errorMessage(error));
    return { kind: 'corrupt', problem: `not valid JSON: ${reason}` };
  }

  const reading = readSettingsVersion(document);
  if (!reading.ok) return { kind: 'corrupt', problem: `${reading.path}: ${reading.problem}` };
  const record = { ...(document as Record<string, unknown>), version: reading.version };
  if (reading.version > SETTINGS_VERSION) return readNewer(record, reading.version);

  const versionRepairs: SettingsRepair[] = reading.invalid
    ? [{ path: 'version', reason: reading.invalid, action: 'replaced' }]
    : [];
  const { document: migrated, applied } = migrateSettingsDocument(record, reading.version);
  const unknownKeys = findUnknownKeys(appSettingsSchema, migrated);
  const validation = validateSettings(migrated);
  if (!validation.ok) {
    return readRepaired(migrated, validation.problem, versionRepairs, unknownKeys);
  }
  const sameUrl = firstDuplicateMoonrakerUrl(validation.settings);
  if (sameUrl) {
    const problem =
      `printers[${sameUrl.index}].moonrakerUrl is also the Moonraker URL of ` +
      `printers[${sameUrl.firstIndex}]`;
    return readRepaired(migrated, problem, versionRepairs, unknownKeys);
  }
  if (versionRepairs.length > 0) {
    return {
      kind: 'repaired',
      settings: validation.settings,
      repairs: versionRepairs,
      unknownKeys,
    };
  }
  if (applied.length === 0) return { kind: 'current', settings: validation.settings, unknownKeys };
  return {
    kind: 'migrated',
    settings: validation.settings,
    fromVersion: reading.version,
    steps: applied,
    unknownKeys,
  };
}

/**
 * Keeps the valid part of a JSON settings document that fails the schema, after the repairs
 * made before the schema check. A document that the repair cannot settle stays `corrupt`.
 */
function readRepaired(
  document: Record<string, unknown>,
  problem: string,
  earlierRepairs: readonly SettingsRepair[],
  unknownKeys: readonly UnknownKey[],
): SettingsReading {
  const repaired = repairSettings(document);
  if (!repaired || !validateSettings(repaired.settings).ok) return { kind: 'corrupt', problem };
  return {
    kind: 'repaired',
    settings: repaired.settings,
    repairs: [...earlierRepairs, ...repaired.repairs],
    unknownKeys,
  };
}

/**
 * Reads a file of a newer layout as far as this version understands it, so the fleet keeps
 * running while the store stays read-only.
 */
function readNewer(document: Record<string, unknown>, version: number): SettingsReading {
  // NOTE: a newer layout that kept a field's name but changed its meaning is read with the old
  // meaning. Nothing is written back, so the file itself stays as the newer app left it.
  const candidate = { ...document, version: SETTINGS_VERSION };
  const validation = validateSettings(candidate);
  const settings = validation.ok ? validation.settings : repairSettings(candidate)?.settings;
  return { kind: 'newer', version, settings };
}

/** Checks a candidate against the schema and the rules the schema cannot express. */
export function validateSettings(candidate: unknown): SettingsValidation {
  const parsed = appSettingsSchema.safeParse(candidate);
  if (!parsed.success) return { ok: false, problem: describeIssues(parsed.error) };

  const duplicate = firstDuplicatePrinterId(parsed.data);
  if (duplicate) {
    return {
      ok: false,
      problem: `printers[${duplicate.index}].id: duplicate id "${duplicate.id}"`,
    };
  }
  const sameName = firstDuplicatePrinterName(parsed.data);
  if (sameName) {
    return {
      ok: false,
      problem:
        `printers[${sameName.index}].name: "${sameName.name}" is already the name of ` +
        `printers[${sameName.firstIndex}]`,
    };
  }
  return { ok: true, settings: parsed.data };
}

/** Finds the first printer whose name equals an earlier one's, compared by `printerNameKey`. */
function firstDuplicatePrinterName(
  settings: AppSettings,
): { name: string; index: number; firstIndex: number } | undefined {
  const seen = new Map<string, number>();
  for (const [index, printer] of settings.printers.entries()) {
    const key = printerNameKey(printer.name);
    const firstIndex = seen.get(key);
    if (firstIndex !== undefined) return { name: printer.name, index, firstIndex };
    seen.set(key, index);
  }
  return undefined;
}

function firstDuplicatePrinterId(settings: AppSettings): { id: string; index: number } | undefined {
  const seen = new Set<string>();
  for (const [index, printer] of settings.printers.entries()) {
    if (seen.has(printer.id)) return { id: printer.id, index };
    seen.add(printer.id);
  }
  return undefined;
}

/**
 * Lists schema issues as plain sentences, such as `printers[0].moonrakerUrl must be a valid URL`,
 * naming at most three and counting the rest.
 */
export function describeIssues(error: z.ZodError): string {
  const summaries = summarizeIssues(error.issues, 'settings');
  const listed = summaries.slice(0, MAX_LISTED_ISSUES).map((issue) => issue.message);
  const more = summaries.length - listed.length;
  if (more > 0) listed.push(`and ${more} more`);
  return listed.join('; ');
}

/** Serializes settings the way the file stores them: two-space JSON with a final newline. */
export function formatSettings(settings: AppSettings): string {
  return `${JSON.stringify(settings, null, 2)}\n`;
}
