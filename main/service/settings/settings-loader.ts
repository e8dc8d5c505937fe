import type { AppSettings, SettingsProblem } from '../../../shared/settings/app-settings.js';
import type { UnknownKey } from '../../../shared/settings/unknown-keys.js';
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

/**
 * The settings a store starts with, and what went wrong while loading them. When there was a
 * problem, `settings.loadProblem` describes it for the user.
 */
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
 * only those parts are dropped, reset or replaced. When the copy fails, the file stays untouched
 * and the store starts read-only. A file of a newer version, or one that cannot be read, is never
 * written. Every problem is kept in `loadProblem` of the returned settings, and it is stored with
 * them whenever they are written.
 */
export async function loadSettings(context: LoadContext): Promise<InitialSettings> {
  const { backend, logger } = context;
  let text: string | undefined;
  try {
    text = await backend.read();
  } catch (error) {
    const problem = unreadable(backend.location, error);
    logger.error({ location: backend.location, err: error }, problem.message);
    return withProblem(context, defaultSettings(), problem, 'read_only');
  }
  const reading = readSettingsText(text);
  if ('unknownKeys' in reading) warnUnknownKeys(context, reading.unknownKeys);
  return settle(context, reading);
}

/**
 * Logs each key of the settings file that the schema does not define, once per load, also when
 * the file was migrated or repaired. The settings drop such a key, so the next save removes it.
 */
function warnUnknownKeys(context: LoadContext, unknownKeys: readonly UnknownKey[]): void {
  for (const unknown of unknownKeys) {
    context.logger.warn({ location: context.backend.location, key: unknown.path }, unknown.message);
  }
}

/** Maximum length of `loadProblem.message`, which the settings schema checks. */
const MAX_NOTICE_MESSAGE_LENGTH = 8192;

/**
 * Returns the initial settings with `problem` in their `loadProblem`. `outcome` is what loading
 * did about the problem.
 */
function withProblem(
  context: LoadContext,
  settings: AppSettings,
  problem: SettingsError,
  outcome: SettingsProblem['outcome'],
): InitialSettings {
  const loadProblem = problemNotice(context, problem, outcome);
  return { settings: { ...settings, loadProblem }, problem, readOnly: outcome === 'read_only' };
}

function problemNotice(
  context: LoadContext,
  problem: SettingsError,
  outcome: SettingsProblem['outcome'],
): SettingsProblem {
  const code = problem.code;
  const loadCode =
    code === 'settings_corrupt' ||
    code === 'settings_newer_version' ||
    code === 'settings_unreadable';
  if (!loadCode) throw new RangeError(`${code} is not a problem found while loading settings`);
  const backup = problem.details['backup'];
  const message =
    problem.message.length > MAX_NOTICE_MESSAGE_LENGTH
      ? `${problem.message.slice(0, MAX_NOTICE_MESSAGE_LENGTH - 1)}…`
      : problem.message;
  return {
    code,
    outcome,
    message,
    location: context.backend.location,
    ...(typeof backup === 'string' ? { backup } : {}),
    detectedAt: new Date(context.clock.now()).toISOString(),
  };
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
    return withProblem(context, defaultSettings(), failure, 'read_only');
  }

  const failure = corruptWithBackup(backend.location, problem, backup);
  logger.error(
    { code: failure.code, location: backend.location, problem, backup },
    failure.message,
  );
  const initial = withProblem(context, defaultSettings(), failure, 'reset');
  const message = 'failed to replace the corrupt settings with defaults';
  await writeOrLog(context, initial.settings, message);
  return initial;
}

/**
 * Logs each dropped, reset or replaced part of the file, keeps the file as
 * `<name>.corrupt-<time>` and stores the settings that remain. When the copy fails, those
 * settings apply read-only.
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
    return withProblem(context, settings, failure, 'read_only');
  }
  const failure = repairedWithBackup(backend.location, repairs, backup);
  logger.warn({ code: failure.code, location: backend.location, backup }, failure.message);
  const initial = withProblem(context, settings, failure, 'repaired');
  const message = 'failed to store the repaired settings; they apply for now';
  await writeOrLog(context, initial.settings, message);
  return initial;
}

function repairMessage(repair: SettingsRepair): string {
  switch (repair.action) {
    case 'dropped':
      return `Dropped the invalid printer entry ${repair.path} from the settings: ${repair.reason}`;
    case 'reset':
      return `Reset the invalid setting ${repair.path} to its default: ${repair.reason}`;
    case 'replaced':
      return `Replaced the invalid setting ${repair.path}: ${repair.reason}`;
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
  return withProblem(context, settings ?? defaultSettings(), problem, 'read_only');
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
