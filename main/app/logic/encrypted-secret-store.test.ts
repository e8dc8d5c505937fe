import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { EncryptedSecretStore, type Encryptor } from './encrypted-secret-store.js';

/** Reverses the bytes and adds a marker, so the file never contains the plain text. */
class FakeEncryptor implements Encryptor {
  available = true;

  isAvailable(): boolean {
    return this.available;
  }

  encrypt(plainText: string): Buffer {
    return Buffer.concat([Buffer.from('v10'), Buffer.from(plainText).reverse()]);
  }

  decrypt(cipherText: Buffer): string {
    if (cipherText.subarray(0, 3).toString() !== 'v10') throw new Error('bad marker');
    return Buffer.from(cipherText.subarray(3)).reverse().toString();
  }
}

let folder: string;
let path: string;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'owl-secrets-'));
  path = join(folder, 'secrets.json');
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('EncryptedSecretStore', () => {
  describe('set', () => {
    it('stores only ciphertext in a 0600 file', async () => {
      await new EncryptedSecretStore(path, new FakeEncryptor()).set('device/p1', 'private-key');
      const text = await readFile(path, 'utf8');
      expect(text).not.toContain('private-key');
      expect(JSON.parse(text)).toEqual({
        version: 1,
        entries: { 'device/p1': Buffer.from('v10yek-etavirp').toString('base64') },
      });
      if (process.platform !== 'win32') expect((await stat(path)).mode & 0o777).toBe(0o600);
    });

    it('rejects storing without encryption', async () => {
      const encryptor = new FakeEncryptor();
      encryptor.available = false;
      const store = new EncryptedSecretStore(path, encryptor);
      const failure = store.set('device/p1', 'private-key');
      await expect(failure).rejects.toMatchObject({ code: 'secret_storage_unavailable' });
      await expect(failure).rejects.toThrow(/^The system keyring is not available/);
      await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
    });

    it('keeps concurrent writes', async () => {
      const store = new EncryptedSecretStore(path, new FakeEncryptor());
      await Promise.all([store.set('a', '1'), store.set('b', '2')]);
      const reopened = new EncryptedSecretStore(path, new FakeEncryptor());
      expect(await reopened.get('a')).toBe('1');
      expect(await reopened.get('b')).toBe('2');
    });
  });

  describe('get', () => {
    it('returns undefined for a missing key', async () => {
      expect(await new EncryptedSecretStore(path, new FakeEncryptor()).get('x')).toBeUndefined();
    });

    it('reports ciphertext that cannot be decrypted', async () => {
      await writeFile(path, JSON.stringify({ version: 1, entries: { k: 'AAAA' } }));
      const failure = new EncryptedSecretStore(path, new FakeEncryptor()).get('k');
      await expect(failure).rejects.toMatchObject({ code: 'secret_decrypt_failed' });
      await expect(failure).rejects.toThrow(`Secret k in ${path} cannot be decrypted (bad marker)`);
    });

    it('reports a corrupt file', async () => {
      await writeFile(path, '{"entries":');
      const failure = new EncryptedSecretStore(path, new FakeEncryptor()).get('k');
      await expect(failure).rejects.toMatchObject({ code: 'credentials_corrupt' });
      await expect(failure).rejects.toThrow(`Secrets file ${path} is corrupt (not valid JSON`);
    });
  });

  describe('delete', () => {
    it('removes the key', async () => {
      const store = new EncryptedSecretStore(path, new FakeEncryptor());
      await store.set('a', '1');
      await store.delete('a');
      expect(await new EncryptedSecretStore(path, new FakeEncryptor()).get('a')).toBeUndefined();
    });
  });
});
