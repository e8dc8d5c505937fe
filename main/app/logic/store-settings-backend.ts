import { chmod, constants, copyFile } from 'node:fs/promises';

import type { SettingsBackend } from '../../service/settings/settings-backend.js';

/** The part of electron-store (or `conf`) that the settings backend uses. */
export interface KeyValueFile {
  /** The JSON file behind the store. */
  readonly path: string;
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

/** Key under which the settings text is kept. */
export const SETTINGS_TEXT_KEY = 'settingsText';

const MAX_BACKUP_ATTEMPTS = 100;

/**
 * Settings text kept as one string value of a key-value store file. The settings store parses and
 * migrates the text itself, so the value is stored exactly as given. A backup copies the whole
 * store file.
 */
export class StoreSettingsBackend implements SettingsBackend {
  constructor(private readonly store: KeyValueFile) {}

  get location(): string {
    return this.store.path;
  }

  async read(): Promise<string | undefined> {
    const value = this.store.get(SETTINGS_TEXT_KEY);
    return typeof value === 'string' ? value : undefined;
  }

  async write(text: string): Promise<void> {
    this.store.set(SETTINGS_TEXT_KEY, text);
  }

  async backup(label: string): Promise<string> {
    for (let attempt = 1; attempt <= MAX_BACKUP_ATTEMPTS; attempt += 1) {
      const target = `${this.store.path}.${label}${attempt === 1 ? '' : `-${attempt}`}`;
      if (await copyIfAbsent(this.store.path, target)) return target;
    }
    throw new Error(
      `Every backup name ${this.store.path}.${label}-N up to ${MAX_BACKUP_ATTEMPTS} exists`,
    );
  }
}

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
