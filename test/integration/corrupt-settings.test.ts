import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { SETTINGS_FILE_NAME } from '../../main/service/settings/settings-backend.js';
import { appSettingsSchema } from '../../shared/settings/app-settings.js';
import { BridgeRig } from '../support/bridge-rig.js';
import { startFleetService, type RunningFleetService } from '../support/fleet-service-rig.js';

let rig: BridgeRig;

beforeEach(() => {
  rig = new BridgeRig();
});

afterEach(async () => {
  await rig.dispose();
});

/** Returns settings with one printer, cut off in the middle as by a crash during a plain write. */
function truncatedSettings(): Buffer {
  const settings = {
    version: 1,
    cloud: { baseUrl: 'https://cloud.example.net' },
    printers: [
      {
        id: 'printer-1',
        name: 'Voron 2.4',
        moonrakerUrl: 'http://192.168.1.40:7125',
        enabled: true,
      },
    ],
  };
  const text = JSON.stringify(settings, null, 2);
  return Buffer.from(text.slice(0, Math.floor(text.length / 2)), 'utf8');
}

async function startOnCorruptFile(): Promise<{ running: RunningFleetService; original: Buffer }> {
  const dataDir = await rig.tempDir('owl-corrupt-');
  const original = truncatedSettings();
  await writeFile(join(dataDir, SETTINGS_FILE_NAME), original, { mode: 0o600 });
  const running = await startFleetService(rig, { dataDir });
  return { running, original };
}

function loggedRecords(running: RunningFleetService): Record<string, unknown>[] {
  return running.logBuffer.recent().map((line) => JSON.parse(line.raw) as Record<string, unknown>);
}

describe('fleet service on a corrupt settings file', () => {
  it('starts with the default settings and the problem', async () => {
    const { running } = await startOnCorruptFile();

    const { loadProblem, ...settings } = await running.client.call('settings.get');

    expect(settings).toEqual(appSettingsSchema.parse({ version: 1 }));
    expect(await running.client.call('printers.list')).toEqual([]);
    const location = join(running.dataDir, SETTINGS_FILE_NAME);
    expect(loadProblem).toMatchObject({
      code: 'settings_corrupt',
      outcome: 'reset',
      location,
      backup: expect.stringMatching(new RegExp(`^${location}\\.corrupt-`)),
    });
    expect(loadProblem?.message).toContain('reset every setting to its default');
  });

  it('forgets the problem once dismissed', async () => {
    const { running } = await startOnCorruptFile();

    const dismissed = await running.client.call('settings.dismissProblem');

    expect(dismissed).toEqual(appSettingsSchema.parse({ version: 1 }));
    expect((await running.client.call('settings.get')).loadProblem).toBeUndefined();
    const stored = await readFile(join(running.dataDir, SETTINGS_FILE_NAME), 'utf8');
    expect(JSON.parse(stored)).not.toHaveProperty('loadProblem');
  });

  it('keeps the original bytes in a backup file', async () => {
    const { running, original } = await startOnCorruptFile();

    const names = await readdir(running.dataDir);

    const backups = names.filter((name) => name.startsWith(`${SETTINGS_FILE_NAME}.corrupt-`));
    expect(backups).toHaveLength(1);
    const backup = await readFile(join(running.dataDir, backups[0] ?? ''));
    expect(backup.equals(original)).toBe(true);
    const replaced = await readFile(join(running.dataDir, SETTINGS_FILE_NAME), 'utf8');
    const { loadProblem, ...stored } = appSettingsSchema.parse(JSON.parse(replaced));
    expect(stored).toEqual(appSettingsSchema.parse({ version: 1 }));
    expect(loadProblem?.backup).toBe(join(running.dataDir, backups[0] ?? ''));
  });

  it('logs the problem with code settings_corrupt', async () => {
    const { running } = await startOnCorruptFile();
    const location = join(running.dataDir, SETTINGS_FILE_NAME);

    const records = loggedRecords(running).filter(
      (record) => record['code'] === 'settings_corrupt',
    );

    expect(records).toHaveLength(1);
    const record = records[0] ?? {};
    expect(record['level']).toBe(50);
    expect(record['msg']).toMatch(
      new RegExp(
        `^Settings file ${location} is corrupt \\(not valid JSON: .+\\)\\. The file was kept as ` +
          `${location}\\.corrupt-[0-9TZ-]+ and moonraker-owl reset every setting to its default, `,
      ),
    );
    const lines = await running.client.call('logs.recent', {});
    expect(lines.some((line) => line.message === record['msg'] && line.level === 'error')).toBe(
      true,
    );
  });

  it('accepts settings changes afterwards', async () => {
    const { running } = await startOnCorruptFile();

    const updated = await running.client.call('settings.update', { startAtLogin: true });

    expect(updated.startAtLogin).toBe(true);
    const stored = await readFile(join(running.dataDir, SETTINGS_FILE_NAME), 'utf8');
    expect((JSON.parse(stored) as { startAtLogin: boolean }).startAtLogin).toBe(true);
  });
});

describe('fleet service on settings with one invalid printer', () => {
  async function startWithInvalidPrinter(): Promise<RunningFleetService> {
    const dataDir = await rig.tempDir('owl-invalid-printer-');
    const printers = ['192.168.1.40', 'not a url', '192.168.1.42'].map((host, index) => ({
      id: `printer-${index}`,
      name: `Printer ${index}`,
      moonrakerUrl: host.includes(' ') ? host : `http://${host}:7125`,
      enabled: false,
    }));
    const settings = { version: 1, cloud: { baseUrl: 'https://cloud.example.net' }, printers };
    await writeFile(join(dataDir, SETTINGS_FILE_NAME), JSON.stringify(settings), { mode: 0o600 });
    return startFleetService(rig, { dataDir });
  }

  it('keeps the valid printers and settings', async () => {
    const running = await startWithInvalidPrinter();

    const settings = await running.client.call('settings.get');

    expect(settings.cloud.baseUrl).toBe('https://cloud.example.net');
    expect(settings.printers.map((printer) => printer.id)).toEqual(['printer-0', 'printer-2']);
    const listed = await running.client.call('printers.list');
    expect(listed.map((printer) => printer.id)).toEqual(['printer-0', 'printer-2']);
  });

  it('logs the dropped entry and the summary once each', async () => {
    const running = await startWithInvalidPrinter();

    const records = loggedRecords(running);

    const dropped = records.filter((record) => record['path'] === 'printers[1]');
    expect(dropped).toHaveLength(1);
    expect(dropped[0]?.['level']).toBe(40);
    expect(dropped[0]?.['action']).toBe('dropped');
    const summaries = records.filter((record) => record['code'] === 'settings_corrupt');
    expect(summaries).toHaveLength(1);
    expect(summaries[0]?.['msg']).toMatch(/had 1 entry that failed the check \(printers\[1\]/);
    expect(running.service.settings.problem?.details['repairs']).toEqual([
      expect.objectContaining({ path: 'printers[1]', action: 'dropped' }),
    ]);
  });
});
