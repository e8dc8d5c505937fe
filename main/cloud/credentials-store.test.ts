import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeviceCredentials } from '../../shared/contract/device-http.js';
import { CredentialsStore } from './credentials-store.js';
import { FileSecretStore } from './secret-store.js';

const credentials: DeviceCredentials = {
  printerId: '00000000-0000-0000-0000-000000000002',
  deviceId: '00000000-0000-0000-0000-000000000003',
  devicePrivateKey: Buffer.alloc(32, 9).toString('base64'),
  tenantId: '00000000-0000-0000-0000-000000000001',
  linkedAt: '2026-01-01T12:00:00+00:00',
};

/** Windows has no POSIX mode bits. */
const onWindows = process.platform === 'win32';

describe('CredentialsStore', () => {
  let folder: string;
  let path: string;
  let store: CredentialsStore;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'owl-credentials-'));
    path = join(folder, 'data', 'credentials.json');
    store = new CredentialsStore(FileSecretStore.inFolder(join(folder, 'data')));
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  describe('set', () => {
    it('round-trips the credentials of a printer', async () => {
      await store.set('voron', credentials);

      const reopened = new CredentialsStore(new FileSecretStore(path));
      expect(await reopened.get('voron')).toEqual(credentials);
      expect(await reopened.get('ender')).toBeUndefined();
    });

    it.skipIf(onWindows)('writes the file with mode 0600', async () => {
      await store.set('voron', credentials);

      expect((await stat(path)).mode & 0o777).toBe(0o600);
    });

    it('keeps both printers of concurrent calls', async () => {
      await Promise.all([
        store.set('voron', credentials),
        store.set('ender', { ...credentials, deviceId: 'device-2' }),
      ]);

      const reopened = new CredentialsStore(new FileSecretStore(path));
      expect((await reopened.get('voron'))?.deviceId).toBe(credentials.deviceId);
      expect((await reopened.get('ender'))?.deviceId).toBe('device-2');
    });

    it('rejects credentials without a device id', async () => {
      const incomplete = { ...credentials, deviceId: '' };

      await expect(store.set('voron', incomplete)).rejects.toMatchObject({
        code: 'invalid_credentials',
        message: 'Credentials of printer "voron" have a missing or invalid field: deviceId',
      });
    });

    it('rejects an empty printer name', async () => {
      await expect(store.set(' ', credentials)).rejects.toMatchObject({
        code: 'invalid_credentials',
        message: 'Printer name cannot be empty when storing credentials',
      });
    });
  });

  describe('delete', () => {
    it('removes one printer and keeps the others', async () => {
      await store.set('voron', credentials);
      await store.set('ender', credentials);

      await store.delete('voron');
      await store.delete('unknown');

      const reopened = new CredentialsStore(new FileSecretStore(path));
      expect(await reopened.get('voron')).toBeUndefined();
      expect(await reopened.get('ender')).toEqual(credentials);
    });
  });

  describe('get', () => {
    it('reports a file that is not JSON and leaves it alone', async () => {
      await store.set('voron', credentials);
      await writeFile(path, '{"device-credentials/voron": ');
      const reopened = new CredentialsStore(new FileSecretStore(path));

      const failure = reopened.get('voron');

      await expect(failure).rejects.toMatchObject({
        code: 'credentials_corrupt',
        message: expect.stringMatching(
          new RegExp(
            `^Credentials file ${path} is corrupt \\(not valid JSON: .+\\); restore it from a backup, or move it aside and link the printers again$`,
          ),
        ) as unknown,
        details: { path },
      });
      await expect(reopened.set('ender', credentials)).rejects.toMatchObject({
        code: 'credentials_corrupt',
      });
      expect(await readFile(path, 'utf8')).toBe('{"device-credentials/voron": ');
    });

    it('reports a file that is not an object of strings', async () => {
      await store.set('voron', credentials);
      await writeFile(path, '{"device-credentials/voron": 42}');
      const reopened = new CredentialsStore(new FileSecretStore(path));

      await expect(reopened.get('voron')).rejects.toMatchObject({
        code: 'credentials_corrupt',
        message: `Credentials file ${path} is corrupt (not a JSON object of strings); restore it from a backup, or move it aside and link the printers again`,
      });
    });

    it('names the printer of a corrupt entry', async () => {
      await store.set('voron', credentials);
      const entry = JSON.stringify({ deviceId: 'device-1' });
      await writeFile(path, JSON.stringify({ 'device-credentials/voron': entry }));
      const reopened = new CredentialsStore(new FileSecretStore(path));

      await expect(reopened.get('voron')).rejects.toMatchObject({
        code: 'credentials_corrupt',
        message: `Stored credentials of printer "voron" in ${path} are corrupt (missing or invalid field: printerId); link the printer again`,
        details: { printerName: 'voron', location: path },
      });
    });

    it.skipIf(onWindows)('restricts a file readable by others to 0600', async () => {
      await store.set('voron', credentials);
      await chmod(path, 0o644);
      const reopened = new CredentialsStore(new FileSecretStore(path));

      expect(await reopened.get('voron')).toEqual(credentials);
      expect((await stat(path)).mode & 0o777).toBe(0o600);
    });
  });
});
