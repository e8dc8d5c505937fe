import { readFile } from 'node:fs/promises';
import { z } from 'zod';

import type { SecretStore } from '../../cloud/secret-store.js';
import { writeFileAtomic } from '../../support/atomic-file.js';
import { CodedError, errorMessage } from '../../support/coded-error.js';

/** The operating system's encryption, as Electron `safeStorage` offers it. */
export interface Encryptor {
  /** Whether encryption protects the data; false when it would only obfuscate it. */
  isAvailable(): boolean;
  encrypt(plainText: string): Buffer;
  decrypt(cipherText: Buffer): string;
}

const fileSchema = z.object({
  version: z.literal(1),
  /** Base64 ciphertext of each secret, by key. */
  entries: z.record(z.string(), z.string()),
});

/**
 * Secrets encrypted one by one with the operating system's key (Keychain, DPAPI, libsecret or
 * KWallet), stored as base64 in a 0600 JSON file. Without working encryption it stores nothing
 * and raises `secret_storage_unavailable`, because plain-text secrets in the user folder are what
 * this store exists to avoid.
 */
export class EncryptedSecretStore implements SecretStore {
  private entries: Map<string, string> | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly path: string,
    private readonly encryptor: Encryptor,
  ) {}

  get location(): string {
    return this.path;
  }

  get(key: string): Promise<string | undefined> {
    return this.exclusive(async () => {
      const cipherText = (await this.load()).get(key);
      if (cipherText === undefined) return undefined;
      this.requireEncryption();
      return this.decrypt(key, cipherText);
    });
  }

  set(key: string, value: string): Promise<void> {
    return this.exclusive(async () => {
      this.requireEncryption();
      const next = new Map(await this.load());
      next.set(key, this.encryptor.encrypt(value).toString('base64'));
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

  private requireEncryption(): void {
    if (this.encryptor.isAvailable()) return;
    throw new CodedError(
      'secret_storage_unavailable',
      'The system keyring is not available, so Moonraker Owl cannot store printer secrets ' +
        'safely. On Linux, install and unlock a Secret Service keyring (GNOME Keyring or ' +
        'KWallet), then restart the app.',
      { details: { path: this.path } },
    );
  }

  private decrypt(key: string, cipherText: string): string {
    try {
      return this.encryptor.decrypt(Buffer.from(cipherText, 'base64'));
    } catch (error) {
      throw new CodedError(
        'secret_decrypt_failed',
        `Secret ${key} in ${this.path} cannot be decrypted (${errorMessage(error)}); the system ` +
          'keyring may have been reset. Link the printer again to replace it.',
        { cause: error, details: { path: this.path, key } },
      );
    }
  }

  private async load(): Promise<Map<string, string>> {
    if (this.entries) return this.entries;
    const text = await readOptional(this.path);
    this.entries = text === undefined ? new Map() : new Map(Object.entries(this.parse(text)));
    return this.entries;
  }

  private parse(text: string): Record<string, string> {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw this.corrupt(`not valid JSON: ${errorMessage(error)}`, error);
    }
    const parsed = fileSchema.safeParse(value);
    if (!parsed.success) throw this.corrupt('not a version 1 secrets file', parsed.error);
    return parsed.data.entries;
  }

  private async save(entries: Map<string, string>): Promise<void> {
    const document = { version: 1, entries: Object.fromEntries(entries) };
    await writeFileAtomic(this.path, `${JSON.stringify(document, null, 2)}\n`, 0o600);
    this.entries = entries;
  }

  private corrupt(problem: string, cause: unknown): CodedError {
    return new CodedError(
      'credentials_corrupt',
      `Secrets file ${this.path} is corrupt (${problem}); move it aside and link the printers again`,
      { cause, details: { path: this.path } },
    );
  }
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
