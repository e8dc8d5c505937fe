import { chmod, constants, copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { writeFileAtomic } from '../../support/atomic-file.js';

/**
 * Storage of the settings text. The headless service keeps a JSON file in its data folder, and the
 * desktop shell can supply one backed by electron-store. Implementations store the text as given.
 */
export interface SettingsBackend {
  /** Location of the settings for messages and logs, such as a file path. */
  readonly location: string;
  /** Returns the stored text, or undefined when nothing was stored yet. */
  read(): Promise<string | undefined>;
  /** Replaces the stored text so that a reader sees the old or the new text, never a mix. */
  write(text: string): Promise<void>;
  /**
   * Copies the stored text, byte for byte, to a new sibling whose name ends in `label`, and
   * returns the copy's location. Never overwrites an existing copy.
   */
  backup(label: string): Promise<string>;
}

export const SETTINGS_FILE_NAME = 'settings.json';

/** A backup name is tried with these numbered suffixes when an earlier backup has the same name. */
const MAX_BACKUP_ATTEMPTS = 100;

/** Settings in one JSON file, written atomically with mode 0600 (owner only). */
export class FileSettingsBackend implements SettingsBackend {
  constructor(readonly path: string) {}

  /** Uses `settings.json` in the data folder. */
  static inFolder(dataFolder: string): FileSettingsBackend {
    return new FileSettingsBackend(join(dataFolder, SETTINGS_FILE_NAME));
  }

  get location(): string {
    return this.path;
  }

  async read(): Promise<string | undefined> {
    try {
      return await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async write(text: string): Promise<void> {
    await writeFileAtomic(this.path, text, 0o600);
  }

  async backup(label: string): Promise<string> {
    for (let attempt = 1; attempt <= MAX_BACKUP_ATTEMPTS; attempt += 1) {
      const target = `${this.path}.${label}${attempt === 1 ? '' : `-${attempt}`}`;
      if (await copyIfAbsent(this.path, target)) return target;
    }
    throw new Error(
      `Every backup name ${this.path}.${label}-N up to ${MAX_BACKUP_ATTEMPTS} exists`,
    );
  }
}

/** Copies `source` to `target` unless `target` exists; returns whether it copied. */
async function copyIfAbsent(source: string, target: string): Promise<boolean> {
  try {
    await copyFile(source, target, constants.COPYFILE_EXCL);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  if (process.platform !== 'win32') await chmod(target, 0o600);
  return true;
}
