import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { FileSettingsBackend } from './settings-backend.js';

/** Windows has no POSIX mode bits. */
const onWindows = process.platform === 'win32';

describe('FileSettingsBackend', () => {
  let folder: string;
  let backend: FileSettingsBackend;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'owl-settings-backend-'));
    backend = FileSettingsBackend.inFolder(join(folder, 'data'));
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  describe('read', () => {
    it('returns undefined before the first write', async () => {
      expect(await backend.read()).toBeUndefined();
    });
  });

  describe('write', () => {
    it('creates the data folder and the file', async () => {
      await backend.write('{"version":1}\n');

      expect(backend.location).toBe(join(folder, 'data', 'settings.json'));
      expect(await backend.read()).toBe('{"version":1}\n');
    });

    it.skipIf(onWindows)('replaces a file others could read with a 0600 one', async () => {
      await backend.write('{}');
      await writeFile(backend.location, '{"old":true}', { mode: 0o644 });

      await backend.write('{"version":1}');

      expect((await stat(backend.location)).mode & 0o777).toBe(0o600);
    });
  });

  describe('backup', () => {
    it('copies the exact bytes next to the file', async () => {
      const bytes = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x00, 0x0a]);
      await backend.write('{}');
      await writeFile(backend.location, bytes);

      const copy = await backend.backup('corrupt-1');

      expect(copy).toBe(`${backend.location}.corrupt-1`);
      expect(await readFile(copy)).toEqual(bytes);
    });

    it('numbers the copy instead of replacing an earlier one', async () => {
      await backend.write('first');
      const first = await backend.backup('corrupt-1');
      await backend.write('second');

      const second = await backend.backup('corrupt-1');

      expect(second).toBe(`${backend.location}.corrupt-1-2`);
      expect(await readFile(first, 'utf8')).toBe('first');
      expect(await readFile(second, 'utf8')).toBe('second');
    });

    it.skipIf(onWindows)('gives the copy mode 0600', async () => {
      await backend.write('{}');

      const copy = await backend.backup('corrupt-1');

      expect((await stat(copy)).mode & 0o777).toBe(0o600);
    });
  });
});
