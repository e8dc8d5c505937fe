import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { DeviceCredentials } from '../../../shared/contract/device-http.js';
import { captureLogger, flushLogs } from '../../cloud/__testing__/capture-logger.js';
import { FileSecretStore, type SecretStore } from '../../cloud/secret-store.js';
import { FleetSecrets } from './fleet-secrets.js';

const credentials: DeviceCredentials = {
  printerId: '00000000-0000-0000-0000-000000000002',
  deviceId: '00000000-0000-0000-0000-000000000003',
  devicePrivateKey: Buffer.alloc(32, 7).toString('base64'),
  tenantId: '00000000-0000-0000-0000-000000000001',
  linkedAt: '2026-01-01T12:00:00+00:00',
};
const API_KEY = '7f3c2a9e1b4d4c6f8a0e2d5b9c1f3a7e';

/** Windows has no POSIX mode bits. */
const onWindows = process.platform === 'win32';

describe('FleetSecrets', () => {
  let folder: string;
  let path: string;
  let secrets: FleetSecrets;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'owl-fleet-secrets-'));
    path = join(folder, 'credentials.json');
    secrets = new FleetSecrets(new FileSecretStore(path));
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  describe('credentials', () => {
    it('round-trips through the file', async () => {
      await secrets.setCredentials('voron', credentials);

      const reopened = new FleetSecrets(new FileSecretStore(path));
      expect(await reopened.getCredentials('voron')).toEqual(credentials);
      expect(await reopened.getCredentials('ender')).toBeUndefined();
    });

    it('rejects credentials without a private key', async () => {
      await expect(
        secrets.setCredentials('voron', { ...credentials, devicePrivateKey: '' }),
      ).rejects.toMatchObject({
        code: 'invalid_credentials',
        message: 'Credentials of printer "voron" have a missing or invalid field: devicePrivateKey',
      });
    });

    it('deletes one printer only', async () => {
      await secrets.setCredentials('voron', credentials);
      await secrets.setCredentials('ender', credentials);

      await secrets.deleteCredentials('voron');

      expect(await secrets.getCredentials('voron')).toBeUndefined();
      expect(await secrets.getCredentials('ender')).toEqual(credentials);
    });
  });

  describe('api key', () => {
    it('round-trips through the file', async () => {
      await secrets.setApiKey('voron', `  ${API_KEY}\n`);

      const reopened = new FleetSecrets(new FileSecretStore(path));
      expect(await reopened.getApiKey('voron')).toBe(API_KEY);
      expect(await reopened.getApiKey('ender')).toBeUndefined();
    });

    it('rejects a blank key', async () => {
      await expect(secrets.setApiKey('voron', '   ')).rejects.toMatchObject({
        code: 'invalid_api_key',
        message: expect.stringMatching(/^Moonraker API key of printer "voron" is empty; /),
      });
      expect(await secrets.getApiKey('voron')).toBeUndefined();
    });

    it.skipIf(onWindows)('is stored with mode 0600', async () => {
      await secrets.setApiKey('voron', API_KEY);

      expect((await stat(path)).mode & 0o777).toBe(0o600);
    });
  });

  describe('forgetPrinter', () => {
    it('removes the credentials and the api key', async () => {
      await secrets.setCredentials('voron', credentials);
      await secrets.setApiKey('voron', API_KEY);
      await secrets.setApiKey('ender', API_KEY);

      await secrets.forgetPrinter('voron');

      expect(await secrets.getCredentials('voron')).toBeUndefined();
      expect(await secrets.getApiKey('voron')).toBeUndefined();
      expect(await secrets.getApiKey('ender')).toBe(API_KEY);
      const text = await readFile(path, 'utf8');
      expect(text).not.toContain(credentials.devicePrivateKey);
      expect(text).not.toContain('voron');
    });

    it('succeeds for a printer without secrets', async () => {
      await expect(secrets.forgetPrinter('unknown')).resolves.toBeUndefined();
    });

    it('deletes the api key when the credentials fail', async () => {
      const entries = new Map([
        ['device-credentials/voron', JSON.stringify(credentials)],
        ['moonraker-api-key/voron', API_KEY],
      ]);
      const failing: SecretStore = {
        location: 'test keychain',
        get: (key) => Promise.resolve(entries.get(key)),
        set: (key, value) => Promise.resolve(void entries.set(key, value)),
        delete: (key) =>
          key.startsWith('device-credentials/')
            ? Promise.reject(new Error('keychain locked'))
            : Promise.resolve(void entries.delete(key)),
      };
      const { logger, entries: logs } = captureLogger();

      await expect(new FleetSecrets(failing, logger).forgetPrinter('voron')).rejects.toMatchObject({
        code: 'secrets_delete_failed',
        message:
          'Failed to remove the secrets of printer "voron" from test keychain: keychain locked',
      });
      expect(entries.has('moonraker-api-key/voron')).toBe(false);
      await flushLogs();
      expect(logs.map((entry) => entry.msg)).toContain('failed to remove the printer secrets');
    });
  });

  describe('secretValues', () => {
    it('returns the private keys and api keys', async () => {
      await secrets.setCredentials('voron', credentials);
      await secrets.setApiKey('ender', API_KEY);

      const values = await secrets.secretValues(['voron', 'ender', 'missing']);

      expect(values.sort()).toEqual([credentials.devicePrivateKey, API_KEY].sort());
    });
  });

  it('rejects an empty printer id', async () => {
    await expect(secrets.getApiKey('')).rejects.toMatchObject({
      code: 'invalid_printer_id',
      message: 'Printer id "" is invalid; expected 1 to 64 characters',
    });
  });

  it('never logs a secret value', async () => {
    const { logger, entries } = captureLogger();
    const logged = new FleetSecrets(new FileSecretStore(path, logger), logger);

    await logged.setCredentials('voron', credentials);
    await logged.setApiKey('voron', API_KEY);
    await logged.forgetPrinter('voron');

    await flushLogs();
    const text = JSON.stringify(entries);
    expect(text).toContain('printer secrets removed');
    expect(text).not.toContain(API_KEY);
    expect(text).not.toContain(credentials.devicePrivateKey);
  });
});
