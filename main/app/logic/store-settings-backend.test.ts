import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { StoreSettingsBackend, type KeyValueFile } from './store-settings-backend.js';

/** A key-value file written through on every set, as electron-store does. */
class JsonFile implements KeyValueFile {
  constructor(readonly path: string) {}

  get(key: string): unknown {
    return this.read()[key];
  }

  set(key: string, value: unknown): void {
    const data = { ...this.read(), [key]: value };
    writeFileSync(this.path, JSON.stringify(data));
  }

  private read(): Record<string, unknown> {
    try {
      return JSON.parse(readFileSync(this.path, 'utf8')) as Record<string, unknown>;
    } catch {
      return {};
    }
  }
}

let folder: string;
let backend: StoreSettingsBackend;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'owl-store-'));
  backend = new StoreSettingsBackend(new JsonFile(join(folder, 'config.json')));
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('StoreSettingsBackend', () => {
  it('reads nothing from an empty store', async () => {
    expect(await backend.read()).toBeUndefined();
  });

  it('returns the text exactly as written', async () => {
    const text = '{\n  "version": 1\n}\n';
    await backend.write(text);
    expect(await backend.read()).toBe(text);
  });

  it('backs up without overwriting an earlier copy', async () => {
    await backend.write('{"version":1}');
    const first = await backend.backup('corrupt');
    await writeFile(join(folder, 'config.json'), '{"settingsText":"two"}');
    const second = await backend.backup('corrupt');
    expect(first).toBe(join(folder, 'config.json.corrupt'));
    expect(second).toBe(join(folder, 'config.json.corrupt-2'));
    expect(await readFile(first, 'utf8')).toBe('{"settingsText":"{\\"version\\":1}"}');
  });
});
