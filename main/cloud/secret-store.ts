import { chmod, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../support/atomic-file.js';
import { CodedError, errorMessage } from '../support/coded-error.js';
import type { Logger } from '../support/logger.js';

/**
 * Key-value storage for secrets. The headless service uses a 0600 file, and the desktop shell
 * can supply an implementation backed by Electron `safeStorage`.
 */
export interface SecretStore {
  /** Location of the secrets for error messages, such as a file path or a keychain name. */
  readonly location: string;
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

export const CREDENTIALS_FILE_NAME = 'credentials.json';

const secretsFileSchema = z.record(z.string(), z.string());

/**
 * Secrets as one JSON object of strings in a file that only the owner may read (mode 0600),
 * rewritten atomically on every change. Operations run one at a time, so concurrent `set`
 * calls never lose each other's keys. A file that cannot be parsed is reported, never replaced.
 * The entries are cached after the first read, so later edits by another process are not seen.
 */
export class FileSecretStore implements SecretStore {
  private entries: Map<string, string> | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly path: string,
    private readonly logger?: Logger,
  ) {}

  /** Opens `credentials.json` in the data folder. */
  static inFolder(dataFolder: string, logger?: Logger): FileSecretStore {
    return new FileSecretStore(join(dataFolder, CREDENTIALS_FILE_NAME), logger);
  }

  get location(): string {
    return this.path;
  }

  get(key: string): Promise<string | undefined> {
    return this.exclusive(async () => (await this.load()).get(key));
  }

  set(key: string, value: string): Promise<void> {
    return this.exclusive(async () => {
      const entries = await this.load();
      const next = new Map(entries).set(key, value);
      await this.save(next);
    });
  }

  delete(key: string): Promise<void> {
    return this.exclusive(async () => {
      const entries = await this.load();
      if (!entries.has(key)) return;
      const next = new Map(entries);
      next.delete(key);
      await this.save(next);
    });
  }

  private exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.queue.then(operation, operation);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async load(): Promise<Map<string, string>> {
    if (this.entries) return this.entries;

    const text = await this.readText();
    if (text === undefined) {
      this.entries = new Map();
      return this.entries;
    }
    await this.tightenMode();
    this.entries = new Map(Object.entries(this.parse(text)));
    return this.entries;
  }

  private async save(entries: Map<string, string>): Promise<void> {
    const text = `${JSON.stringify(Object.fromEntries(entries), null, 2)}\n`;
    await writeFileAtomic(this.path, text, 0o600);
    this.entries = entries;
  }

  private async readText(): Promise<string | undefined> {
    try {
      return await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  private parse(text: string): Record<string, string> {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw corrupt(this.path, `not valid JSON: ${errorMessage(error)}`, error);
    }
    const parsed = secretsFileSchema.safeParse(value);
    if (!parsed.success) throw corrupt(this.path, 'not a JSON object of strings', parsed.error);
    return parsed.data;
  }

  /** Restricts a file that someone made readable by others back to its owner. */
  private async tightenMode(): Promise<void> {
    if (process.platform === 'win32') return;
    const { mode } = await stat(this.path);
    if ((mode & 0o077) === 0) return;
    await chmod(this.path, 0o600);
    this.logger?.warn(
      { path: this.path, mode: (mode & 0o777).toString(8) },
      'credentials file was readable by other users; its mode is now 0600',
    );
  }
}

function corrupt(path: string, problem: string, cause?: unknown): CodedError {
  return new CodedError(
    'credentials_corrupt',
    `Credentials file ${path} is corrupt (${problem}); restore it from a backup, or move it aside and link the printers again`,
    { cause, details: { path } },
  );
}
