import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeviceRegistry, type RegisteredDevice } from './device-registry.js';

const device = {
  deviceId: 'device-1',
  printerId: 'printer-1',
  tenantId: 'tenant-1',
  publicKey: Buffer.alloc(32, 3).toString('base64'),
  linkedAt: '2026-01-01T12:00:00+00:00',
};

describe('DeviceRegistry', () => {
  let folder: string;
  let path: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'owl-registry-'));
    path = join(folder, 'devices.json');
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  describe('open', () => {
    it('restores registered and revoked devices from its file', async () => {
      const registry = await DeviceRegistry.open({ filePath: path });
      await registry.register(device);
      await registry.register({ ...device, deviceId: 'device-2' });
      await registry.revoke('device-2', '2026-01-02T00:00:00.000Z');

      const reopened = await DeviceRegistry.open({ filePath: path });

      expect(reopened.active('device-1')).toEqual({ ...device, revokedAt: null });
      expect(reopened.active('device-2')).toBeUndefined();
      expect(reopened.get('device-2')?.revokedAt).toBe('2026-01-02T00:00:00.000Z');
    });

    it('starts empty without a file', async () => {
      const registry = await DeviceRegistry.open({ filePath: path });

      expect(registry.list()).toEqual([]);
    });

    it('reports a corrupt file', async () => {
      await writeFile(path, '{"devices": [{"deviceId": 1}]}');

      await expect(DeviceRegistry.open({ filePath: path })).rejects.toMatchObject({
        code: 'registry_corrupt',
        message: `Device registry ${path} is corrupt (unexpected layout); fix or delete the file, then link the printers again`,
      });
    });
  });

  describe('revoke', () => {
    it('notifies listeners once per device', async () => {
      const registry = new DeviceRegistry();
      await registry.register(device);
      const revoked: RegisteredDevice[] = [];
      registry.onRevoked((record) => revoked.push(record));

      expect(await registry.revoke('device-1', '2026-01-02T00:00:00.000Z')).toBe(true);
      expect(await registry.revoke('device-1', '2026-01-03T00:00:00.000Z')).toBe(true);
      expect(await registry.revoke('device-9', '2026-01-03T00:00:00.000Z')).toBe(false);

      expect(revoked).toEqual([{ ...device, revokedAt: '2026-01-02T00:00:00.000Z' }]);
    });
  });
});
