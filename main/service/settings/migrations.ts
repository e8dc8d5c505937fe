import { SETTINGS_VERSION } from '../../../shared/settings/app-settings.js';

/**
 * Upgrades of the settings document from one layout version to the next. A settings document is
 * a JSON object; version 0 is a file without a `version` field. Each step turns version N into
 * N + 1 and leaves anything it does not recognise as it is, so the schema check that follows the
 * chain reports what is wrong instead of a step guessing.
 */

export type SettingsDocument = Record<string, unknown>;

interface Migration {
  from: number;
  describe: string;
  migrate(document: SettingsDocument): SettingsDocument;
}

/**
 * Version 0 kept the cloud endpoints at the top level (`cloudUrl`, `brokerUrl`) and each
 * printer's Moonraker address in `url`. Version 1 groups the endpoints under `cloud` and names
 * the address `moonrakerUrl`.
 */
function fromVersion0(document: SettingsDocument): SettingsDocument {
  const { cloudUrl, brokerUrl, printers, ...rest } = document;
  const cloud = isObject(rest['cloud']) ? { ...rest['cloud'] } : {};
  if (cloudUrl !== undefined && cloud['baseUrl'] === undefined) cloud['baseUrl'] = cloudUrl;
  if (brokerUrl !== undefined && cloud['brokerUrl'] === undefined) cloud['brokerUrl'] = brokerUrl;

  return {
    ...rest,
    version: 1,
    cloud,
    ...(printers === undefined ? {} : { printers: renamePrinterUrls(printers) }),
  };
}

function renamePrinterUrls(printers: unknown): unknown {
  if (!Array.isArray(printers)) return printers;
  return printers.map((printer: unknown) => {
    if (!isObject(printer) || printer['moonrakerUrl'] !== undefined) return printer;
    const { url, ...rest } = printer;
    return url === undefined ? rest : { ...rest, moonrakerUrl: url };
  });
}

/** Every step in order; `from` of entry i is i, up to SETTINGS_VERSION - 1. */
export const MIGRATIONS: readonly Migration[] = [
  {
    from: 0,
    describe: 'group the cloud endpoints under `cloud` and rename printer `url` to `moonrakerUrl`',
    migrate: fromVersion0,
  },
];

/**
 * The layout version of a settings document. `invalid` is set when the `version` field was
 * present but not a whole number of 0 or more, and it names the version assumed instead.
 */
export type VersionReading =
  { ok: true; version: number; invalid?: string } | { ok: false; problem: string; path: string };

/**
 * Reads the layout version of a parsed settings file: 0 when the field is absent, as in files of
 * version 0. A present but invalid field, as after a hand edit, does not make the file unusable.
 * A string of digits such as `"1"` is read as that number. Any other value (null, a fraction, a
 * negative number) is read as SETTINGS_VERSION, the layout that a hand-edited file most likely
 * has. The schema check that follows shows whether the rest fits that layout.
 */
export function readSettingsVersion(document: unknown): VersionReading {
  if (!isObject(document)) {
    return {
      ok: false,
      path: '(top level)',
      problem: `expected a JSON object, got ${kindOf(document)}`,
    };
  }
  const version = document['version'];
  if (version === undefined) return { ok: true, version: 0 };
  if (typeof version === 'number' && Number.isInteger(version) && version >= 0) {
    return { ok: true, version };
  }
  const digits = typeof version === 'string' && /^\s*\d{1,9}\s*$/.test(version);
  const assumed = digits ? Number(version) : SETTINGS_VERSION;
  const invalid =
    `version must be a whole number of 0 or more, not ${JSON.stringify(version)}, ` +
    `so the file was read as version ${assumed}`;
  return { ok: true, version: assumed, invalid };
}

/**
 * Runs every step from `version` up to SETTINGS_VERSION. Throws when `version` is newer than
 * this app, because a newer layout must never be downgraded.
 */
export function migrateSettingsDocument(
  document: SettingsDocument,
  version: number,
): { document: SettingsDocument; applied: readonly string[] } {
  if (version > SETTINGS_VERSION) {
    throw new RangeError(`Settings version ${version} is newer than ${SETTINGS_VERSION}`);
  }
  let current = document;
  const applied: string[] = [];
  for (const step of MIGRATIONS.slice(version)) {
    current = step.migrate(current);
    applied.push(`${step.from} -> ${step.from + 1}: ${step.describe}`);
  }
  return { document: current, applied };
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
