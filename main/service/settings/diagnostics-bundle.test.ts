import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { strFromU8, unzipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { appSettingsSchema, type AppSettings } from '../../../shared/settings/app-settings.js';
import { FakeClock } from '../../../test/support/fake-clock.js';
import {
  diagnosticsBundleName,
  writeDiagnosticsBundle,
  type DiagnosticsBundleOptions,
} from './diagnostics-bundle.js';

const JWT =
  'eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJkZXZpY2UtMSIsImV4cCI6MTc2NzI3MDQwMH0.' +
  'c2lnbmF0dXJlLWJ5dGVzLW9mLWEtdGVzdC10b2tlbg';
const PRIVATE_KEY = Buffer.from(Array.from({ length: 32 }, (_, i) => i * 7 + 3)).toString('base64');
const API_KEY = '5be2c8f1a9d34e7b8c0f6a2d1e4b7c9a';

/** Windows has no POSIX mode bits. */
const onWindows = process.platform === 'win32';

function settingsWithPlantedSecrets(): AppSettings {
  const settings = appSettingsSchema.parse({
    version: 1,
    printers: [{ id: 'voron', name: 'Voron 2.4', moonrakerUrl: 'http://10.0.0.7:7125' }],
  });
  // Fields the schema would strip, as a caller passing raw data could still hand over.
  const printer = { ...settings.printers[0], apiKey: API_KEY, devicePrivateKey: PRIVATE_KEY };
  return { ...settings, printers: [printer] } as AppSettings;
}

function plantedOptions(path: string, clock: FakeClock): DiagnosticsBundleOptions {
  return {
    path,
    settings: settingsWithPlantedSecrets(),
    secretsRedacted: [],
    logs: [
      JSON.stringify({ level: 30, msg: 'token issued', accessToken: JWT, printer: 'voron' }),
      JSON.stringify({
        level: 20,
        msg: 'credentials',
        credentials: { devicePrivateKey: PRIVATE_KEY },
      }),
      `[12:00:00] INFO: connecting with X-Api-Key: ${API_KEY}`,
      `[12:00:01] WARN: mqtt password=${JWT} rejected`,
      '[12:00:02] INFO: printer voron is printing benchy.gcode',
    ],
    timelines: {
      voron: [{ at: 1, link: 'cloud', level: 'error', summary: `Broker rejected JWT ${JWT}` }],
    },
    snapshots: {
      voron: { name: 'Voron 2.4', moonraker: { apiKey: API_KEY, state: 'connected' } },
      ender: { name: 'Ender 3', token: JWT },
    },
    appVersion: '1.2.3',
    clock,
  };
}

async function unzipText(path: string): Promise<Record<string, string>> {
  const files = unzipSync(new Uint8Array(await readFile(path)));
  return Object.fromEntries(Object.entries(files).map(([name, data]) => [name, strFromU8(data)]));
}

describe('writeDiagnosticsBundle', () => {
  let folder: string;
  let clock: FakeClock;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'owl-diagnostics-'));
    clock = new FakeClock();
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('writes the four files and returns the size', async () => {
    const path = join(folder, 'bundle.zip');

    const result = await writeDiagnosticsBundle(plantedOptions(path, clock));

    expect(result).toEqual({ path, bytes: (await stat(path)).size });
    const files = await unzipText(path);
    expect(Object.keys(files).sort()).toEqual([
      'logs.txt',
      'printers.json',
      'settings.json',
      'system.json',
    ]);
  });

  it('leaves no planted secret in any file', async () => {
    const path = join(folder, 'bundle.zip');

    await writeDiagnosticsBundle(plantedOptions(path, clock));

    const files = await unzipText(path);
    for (const [name, text] of Object.entries(files)) {
      for (const secret of [JWT, PRIVATE_KEY, API_KEY]) {
        expect(text.includes(secret), `${name} contains ${secret.slice(0, 12)}…`).toBe(false);
      }
      expect(text, name).not.toContain('eyJ');
    }
  });

  it('removes known secrets that no pattern catches', async () => {
    const path = join(folder, 'bundle.zip');
    const options = plantedOptions(path, clock);

    await writeDiagnosticsBundle({
      ...options,
      secretsRedacted: [API_KEY, PRIVATE_KEY],
      logs: [`moonraker answered 401 for ${API_KEY}`, `seed was ${PRIVATE_KEY}`],
    });

    const logs = (await unzipText(path))['logs.txt'];
    expect(logs).toBe('moonraker answered 401 for [redacted]\nseed was [redacted]\n');
  });

  it('keeps the facts that are not secret', async () => {
    const path = join(folder, 'bundle.zip');

    await writeDiagnosticsBundle(plantedOptions(path, clock));

    const files = await unzipText(path);
    const settings = JSON.parse(files['settings.json'] ?? '') as AppSettings;
    expect(settings.printers[0]?.moonrakerUrl).toBe('http://10.0.0.7:7125');
    expect(settings.printers[0]).toMatchObject({ apiKey: '[redacted]' });
    expect(files['logs.txt']).toContain('printer voron is printing benchy.gcode');
    const printers = JSON.parse(files['printers.json'] ?? '') as {
      generatedAt: string;
      printers: Record<string, { snapshot: unknown; timeline: unknown[] }>;
    };
    expect(printers.generatedAt).toBe('2026-01-01T12:00:00.000Z');
    expect(Object.keys(printers.printers)).toEqual(['ender', 'voron']);
    expect(printers.printers['voron']?.snapshot).toEqual({
      name: 'Voron 2.4',
      moonraker: { apiKey: '[redacted]', state: 'connected' },
    });
    expect(printers.printers['voron']?.timeline).toEqual([
      { at: 1, link: 'cloud', level: 'error', summary: 'Broker rejected JWT [redacted]' },
    ]);
    expect(printers.printers['ender']?.timeline).toEqual([]);
  });

  it('describes the system', async () => {
    const path = join(folder, 'bundle.zip');

    await writeDiagnosticsBundle(plantedOptions(path, clock));

    const system = JSON.parse((await unzipText(path))['system.json'] ?? '') as Record<
      string,
      unknown
    >;
    expect(system).toMatchObject({
      appVersion: '1.2.3',
      generatedAt: '2026-01-01T12:00:00.000Z',
      node: process.version,
      platform: process.platform,
      arch: process.arch,
    });
    expect(system['cpus']).toMatchObject({ count: expect.any(Number) });
    expect(system['memory']).toMatchObject({ totalBytes: expect.any(Number) });
    expect(system['uptime']).toMatchObject({ processSeconds: expect.any(Number) });
  });

  it.skipIf(onWindows)('writes the zip with mode 0600', async () => {
    const path = join(folder, 'bundle.zip');

    await writeDiagnosticsBundle(plantedOptions(path, clock));

    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('rejects a path that cannot be written', async () => {
    // 251 characters fit a file name, but not with the temporary file's 17-character suffix.
    const path = join(folder, `${'b'.repeat(247)}.zip`);

    await expect(writeDiagnosticsBundle(plantedOptions(path, clock))).rejects.toMatchObject({
      code: 'diagnostics_write_failed',
      message: expect.stringMatching(
        new RegExp(`^Failed to write the diagnostics bundle to ${path}: .*; choose a folder`),
      ),
    });
  });
});

describe('diagnosticsBundleName', () => {
  it('names the bundle after the time', () => {
    expect(diagnosticsBundleName(Date.UTC(2026, 0, 1, 12, 0, 0))).toBe(
      'moonraker-owl-diagnostics-2026-01-01T12-00-00-000Z.zip',
    );
  });
});
