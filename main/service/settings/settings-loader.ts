import { appSettingsSchema, type AppSettings } from '../../../shared/settings/app-settings.js';
import { findUnknownKeys } from '../../../shared/settings/unknown-keys.js';
import type { Clock } from '../../support/clock.js';
import { assertNever, errorMessage } from '../../support/coded-error.js';
import type { Logger } from '../../support/logger.js';
import { fileTimestamp } from './file-timestamp.js';
import type { SettingsBackend } from './settings-backend.js';
import type { SettingsRepair } from './settings-repair.js';
import {
  defaultSettings,
  formatSettings,
  readSettingsText,
  type SettingsReading,
} from './settings-document.js';
import {
  corruptWithBackup,
  corruptWithoutBackup,
  newerVersion,
  repairedWithBackup,
  repairedWithoutBackup,
  unreadable,
  type SettingsError,
} from './settings-errors.js';

/** The settings a store starts with, and what went wrong while loading them. */
export interface InitialSettings {
  settings: AppSettings;
  problem: SettingsError | undefined;
  readOnly: boolean;
}

interface LoadContext {
  backend: SettingsBackend;
  logger: Logger;
  clock: Clock;
}

/**
 * Reads the stored settings and settles every outcome. A corrupt file is copied aside before
 * defaults replace it, and a file that is valid JSON with some invalid parts is copied aside before
 * only those parts are dropped or reset. When the copy fails, the file stays untouched and the
 * store starts read-only. A file of a newer version, or one that cannot be read, is never written.
 */
export async function loadSettings(context: LoadContext): Promise<InitialSettings> {
  const { backend, logger } = context;
  let text: string | undefined;
  try {
    text = await backend.read();
  } catch (error) {
    const problem = unreadable(backend.location, error);
    logger.error({ location: backend.location, err: error }, problem.message);
    return { settings: defaultSettings(), problem, readOnly: true };
  }
  const reading = readSettingsText(text);
  if (reading.kind === 'current' && text !== undefined) warnUnknownKeys(context, text);
  return settle(context, reading);
}

/**
 * Logs each key of a current settings file that the schema does not define, once per load. The
 * settings drop such a key, so the next save removes it from the file.
 */
function warnUnknownKeys(context: LoadContext, text: string): void {
  let document: unknown;
  try {
    document = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return;
  }
  for (const unknown of findUnknownKeys(appSettingsSchema, document)) {
    context.logger.warn({ location: context.backend.location, key: unknown.path }, unknown.message);
  }
}

async function settle(context: LoadContext, reading: SettingsReading): Promise<InitialSettings> {
  const { backend, logger } = context;
  switch (reading.kind) {
    case 'missing':
      logger.info({ location: backend.location }, 'no settings stored yet; using defaults');
      return { settings: defaultSettings(), problem: undefined, readOnly: false };
    case 'current':
      logger.info(
        { location: backend.location, printers: reading.settings.printers.length },
        'settings loaded',
      );
      return { settings: reading.settings, problem: undefined, readOnly: false };
    case 'migrated':
      return saveMigrated(context, reading.settings, reading.fromVersion, reading.steps);
    case 'corrupt':
      return recoverCorrupt(context, reading.problem);
    case 'repaired':
      return saveRepaired(context, reading.settings, reading.repairs);
    case 'newer':
      return openNewer(context, reading.version, reading.settings);
    default:
      return assertNever(reading, 'settings reading');
  }
}

/** Keeps the old file as `<name>.v<N>-<time>` and stores the migrated settings. */
async function saveMigrated(
  context: LoadContext,
  settings: AppSettings,
  fromVersion: number,
  steps: readonly string[],
): Promise<InitialSettings> {
  const { backend, logger, clock } = context;
  const fields = { location: backend.location, fromVersion, to: settings.version, steps };
  try {
    const backup = await backend.backup(`v${fromVersion}-${fileTimestamp(clock.now())}`);
    logger.info({ ...fields, backup }, 'settings migrated to the current layout');
  } catch (error) {
    logger.warn(
      { ...fields, err: error },
      'settings migrated, but the copy of the old file failed',
    );
  }
  await writeOrLog(context, settings, 'failed to store the migrated settings; they apply for now');
  return { settings, problem: undefined, readOnly: false };
}

async function recoverCorrupt(context: LoadContext, problem: string): Promise<InitialSettings> {
  const { backend, logger, clock } = context;
  let backup: string;
  try {
    backup = await backend.backup(`corrupt-${fileTimestamp(clock.now())}`);
  } catch (error) {
    const failure = corruptWithoutBackup(backend.location, problem, error);
    const fields = { code: failure.code, location: backend.location, problem, err: error };
    logger.error(fields, failure.message);
    return { settings: defaultSettings(), problem: failure, readOnly: true };
  }

  const failure = corruptWithBackup(backend.location, problem, backup);
  logger.error(
    { code: failure.code, location: backend.location, problem, backup },
    failure.message,
  );
  const settings = defaultSettings();
  await writeOrLog(context, settings, 'failed to replace the corrupt settings with defaults');
  return { settings, problem: failure, readOnly: false };
}

/**
 * Logs each dropped or reset part of the file, keeps the file as `<name>.corrupt-<time>` and
 * stores the settings that remain. When the copy fails, those settings apply read-only.
 */
async function saveRepaired(
  context: LoadContext,
  settings: AppSettings,
  repairs: readonly SettingsRepair[],
): Promise<InitialSettings> {
  const { backend, logger, clock } = context;
  for (const repair of repairs) {
    logger.warn({ location: backend.location, ...repair }, repairMessage(repair));
  }
  let backup: string;
  try {
    backup = await backend.backup(`corrupt-${fileTimestamp(clock.now())}`);
  } catch (error) {
    const failure = repairedWithoutBackup(backend.location, repairs, error);
    logger.error({ code: failure.code, location: backend.location, err: error }, failure.message);
    return { settings, problem: failure, readOnly: true };
  }
  const failure = repairedWithBackup(backend.location, repairs, backup);
  logger.warn({ code: failure.code, location: backend.location, backup }, failure.message);
  await writeOrLog(context, settings, 'failed to store the repaired settings; they apply for now');
  return { settings, problem: failure, readOnly: false };
}

function repairMessage(repair: SettingsRepair): string {
  switch (repair.action) {
    case 'dropped':
      return `Dropped the invalid printer entry ${repair.path} from the settings: ${repair.reason}`;
    case 'reset':
      return `Reset the invalid setting ${repair.path} to its default: ${repair.reason}`;
    default:
      return assertNever(repair.action, 'settings repair action');
  }
}

function openNewer(
  context: LoadContext,
  version: number,
  settings: AppSettings | undefined,
): InitialSettings {
  const { backend, logger } = context;
  const problem = newerVersion(backend.location, version);
  const usable = settings !== undefined;
  logger.warn({ location: backend.location, version, usable }, problem.message);
  return { settings: settings ?? defaultSettings(), problem, readOnly: true };
}

async function writeOrLog(
  context: LoadContext,
  settings: AppSettings,
  failure: string,
): Promise<void> {
  try {
    await context.backend.write(formatSettings(settings));
  } catch (error) {
    context.logger.error(
      { location: context.backend.location, err: error, reason: errorMessage(error) },
      failure,
    );
  }
}
