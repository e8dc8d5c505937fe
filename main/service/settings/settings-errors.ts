import { SETTINGS_VERSION } from '../../../shared/settings/app-settings.js';
import { CodedError, errorMessage } from '../../support/coded-error.js';
import type { SettingsRepair } from './settings-repair.js';

/**
 * Codes of settings errors. The first three describe a problem found at start-up and are
 * exposed as `SettingsStore.problem`; the others reject an update.
 */
export type SettingsErrorCode =
  | 'settings_corrupt'
  | 'settings_newer_version'
  | 'settings_unreadable'
  | 'settings_read_only'
  | 'settings_invalid'
  | 'settings_write_failed'
  | 'settings_closed';

export type SettingsError = CodedError<SettingsErrorCode>;

function settingsError(
  code: SettingsErrorCode,
  message: string,
  details: Record<string, unknown>,
  cause?: unknown,
): SettingsError {
  return new CodedError<SettingsErrorCode>(code, message, { cause, details });
}

export function corruptWithBackup(
  location: string,
  problem: string,
  backup: string,
): SettingsError {
  return settingsError(
    'settings_corrupt',
    `Settings file ${location} is corrupt (${problem}). The file was kept as ${backup} and ` +
      'moonraker-owl reset every setting to its default, so the fleet has no printers now; add ' +
      'them again, or stop moonraker-owl and copy them back from that file.',
    { location, problem, backup },
  );
}

export function corruptWithoutBackup(
  location: string,
  problem: string,
  backupError: unknown,
): SettingsError {
  return settingsError(
    'settings_corrupt',
    `Settings file ${location} is corrupt (${problem}), and a backup copy failed ` +
      `(${errorMessage(backupError)}). The file was left as it is and settings are read-only; ` +
      'fix the file or move it aside, then restart moonraker-owl.',
    { location, problem },
    backupError,
  );
}

/**
 * Reports a settings file whose invalid parts were dropped, reset or replaced while the rest was
 * kept. It has the code `settings_corrupt`, and `details.repairs` lists each part with its path
 * and reason.
 */
export function repairedWithBackup(
  location: string,
  repairs: readonly SettingsRepair[],
  backup: string,
): SettingsError {
  return settingsError(
    'settings_corrupt',
    `${repairedParts(location, repairs)}. moonraker-owl dropped, reset or replaced them and kept ` +
      `every other setting. The original file was kept as ${backup}; check the printers and ` +
      'settings, and copy back from that file what is missing while moonraker-owl is stopped.',
    { location, backup, repairs: repairs.map((repair) => ({ ...repair })) },
  );
}

/** Reports repaired settings that apply read-only, because the copy of the file failed. */
export function repairedWithoutBackup(
  location: string,
  repairs: readonly SettingsRepair[],
  backupError: unknown,
): SettingsError {
  return settingsError(
    'settings_corrupt',
    `${repairedParts(location, repairs)}, and a backup copy failed ` +
      `(${errorMessage(backupError)}). The other settings apply, the file was left as it is and ` +
      'settings are read-only; fix the file, then restart moonraker-owl.',
    { location, repairs: repairs.map((repair) => ({ ...repair })) },
    backupError,
  );
}

/** At most this many repairs are named in a message; the log has a line for each. */
const MAX_LISTED_REPAIRS = 5;

/** Names the file and lists its invalid parts, such as `Settings file F had 1 entry that …`. */
function repairedParts(location: string, repairs: readonly SettingsRepair[]): string {
  const count = repairs.length === 1 ? '1 entry' : `${repairs.length} entries`;
  const listed = repairs.slice(0, MAX_LISTED_REPAIRS).map((repair) => repair.reason);
  const more = repairs.length - listed.length;
  if (more > 0) listed.push(`and ${more} more, listed in the log`);
  return `Settings file ${location} had ${count} that failed the check (${listed.join('; ')})`;
}

export function newerVersion(location: string, version: number): SettingsError {
  return settingsError(
    'settings_newer_version',
    `Settings file ${location} was written by a newer moonraker-owl (settings version ` +
      `${version}; this version reads up to ${SETTINGS_VERSION}). Settings are read-only so that ` +
      'the file is not downgraded; update moonraker-owl to change them.',
    { location, version, supportedVersion: SETTINGS_VERSION },
  );
}

export function unreadable(location: string, cause: unknown): SettingsError {
  return settingsError(
    'settings_unreadable',
    `Failed to read settings file ${location} (${errorMessage(cause)}). Settings are read-only; ` +
      'check the file and its permissions, then restart moonraker-owl.',
    { location },
    cause,
  );
}

export function readOnly(problem: SettingsError): SettingsError {
  return settingsError(
    'settings_read_only',
    `Settings cannot be changed because they are read-only. ${problem.message}`,
    { problem: problem.code },
    problem,
  );
}

export function invalidChange(problem: string): SettingsError {
  return settingsError('settings_invalid', `Invalid settings change: ${problem}`, { problem });
}

export function writeFailed(location: string, cause: unknown): SettingsError {
  return settingsError(
    'settings_write_failed',
    `Failed to write settings to ${location} (${errorMessage(cause)}); the change was not saved.`,
    { location },
    cause,
  );
}

export function closed(): SettingsError {
  return settingsError(
    'settings_closed',
    'Settings store is closed; no more changes are accepted',
    {},
  );
}
