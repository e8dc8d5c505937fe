import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import {
  SETTINGS_VERSION,
  type AppSettings,
  type PrinterSettings,
} from '../../../shared/settings/app-settings.js';
import { captureLogger, flushLogs } from '../../cloud/__testing__/capture-logger.js';
import { silentLogger } from '../../support/logger.js';
import { FakeClock } from '../../../test/support/fake-clock.js';
import { FileSettingsBackend, type SettingsBackend } from './settings-backend.js';
import { SettingsStore } from './settings-store.js';

/** Windows has no POSIX mode bits. */
const onWindows = process.platform === 'win32';

/** FakeClock starts at 2026-01-01T12:00:00Z. */
const STAMP = '2026-01-01T12-00-00-000Z';

function printer(id: string, overrides: Partial<PrinterSettings> = {}): PrinterSettings {
  return {
    id,
    name: `Printer ${id}`,
    moonrakerUrl: `http://printer-${id}.local:7125`,
    enabled: true,
    ...overrides,
  };
}

describe('SettingsStore', () => {
  let folder: string;
  let path: string;
  let clock: FakeClock;
  let stores: SettingsStore[];

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'owl-settings-'));
    path = join(folder, 'settings.json');
    clock = new FakeClock();
    stores = [];
  });

  afterEach(async () => {
    for (const store of stores) {
      await store.flush();
      store.dispose();
    }
    await rm(folder, { recursive: true, force: true });
  });

  async function open(
    backend: SettingsBackend = new FileSettingsBackend(path),
    logger = silentLogger,
  ): Promise<SettingsStore> {
    const store = await SettingsStore.open({ backend, logger, clock });
    stores.push(store);
    return store;
  }

  async function folderEntries(): Promise<string[]> {
    return (await readdir(folder)).sort();
  }

  describe('open', () => {
    it('warns once per unknown key with its path', async () => {
      const stored = {
        version: 1,
        printers: [
          { id: 'a', name: 'Voron', moonrakerUrl: 'http://voron.local', enabeld: false, colour: 1 },
        ],
        discovery: { mnds: false },
      };
      await writeFile(path, JSON.stringify(stored));
      const { logger, entries } = captureLogger();

      await open(new FileSettingsBackend(path), logger);
      await flushLogs();

      const warnings = entries.filter((entry) => entry.msg.startsWith('Unknown setting'));
      expect(warnings.map((entry) => entry.msg)).toEqual([
        'Unknown setting printers[0].enabeld; did you mean enabled?',
        'Unknown setting printers[0].colour; it is ignored',
        'Unknown setting discovery.mnds; did you mean mdns?',
      ]);
      expect(warnings.map((entry) => entry.level)).toEqual([40, 40, 40]);
      expect(warnings[0]?.['key']).toBe('printers[0].enabeld');
    });

    it('uses defaults on the first run', async () => {
      const store = await open();

      expect(store.get().version).toBe(SETTINGS_VERSION);
      expect(store.get().printers).toEqual([]);
      expect(store.get().cloud.baseUrl).toBe('https://owl.example.com');
      expect(store.get().notifications.printFailed).toBe(true);
      expect(store.problem).toBeUndefined();
      expect(store.readOnly).toBe(false);
      expect(await folderEntries()).toEqual([]);
    });

    it('reads settings stored by an earlier run', async () => {
      const first = await open();
      await first.update((draft) => {
        draft.printers.push(printer('voron'));
        draft.logLevel = 'debug';
      });

      const second = await open();
      expect(second.get().printers).toEqual([printer('voron')]);
      expect(second.get().logLevel).toBe('debug');
      expect(second.problem).toBeUndefined();
    });

    it('reads a file that starts with a byte order mark', async () => {
      await writeFile(path, `\uFEFF${JSON.stringify({ version: 1, startAtLogin: true })}`);

      const store = await open();

      expect(store.problem).toBeUndefined();
      expect(store.get().startAtLogin).toBe(true);
    });

    it('migrates a version 0 file and keeps the old one', async () => {
      const original = JSON.stringify({
        cloudUrl: 'https://cloud.example.net',
        brokerUrl: 'mqtts://mqtt.example.net:8883',
        printers: [{ id: 'voron', name: 'Voron 2.4', url: 'http://10.0.0.7:7125' }],
        startAtLogin: true,
      });
      await writeFile(path, original);

      const store = await open();

      expect(store.problem).toBeUndefined();
      expect(store.get().cloud.baseUrl).toBe('https://cloud.example.net');
      expect(store.get().cloud.brokerUrl).toBe('mqtts://mqtt.example.net:8883');
      expect(store.get().printers).toEqual([
        { id: 'voron', name: 'Voron 2.4', moonrakerUrl: 'http://10.0.0.7:7125', enabled: true },
      ]);
      expect(store.get().startAtLogin).toBe(true);
      const stored = JSON.parse(await readFile(path, 'utf8')) as AppSettings;
      expect(stored.version).toBe(SETTINGS_VERSION);
      expect(stored.printers[0]?.moonrakerUrl).toBe('http://10.0.0.7:7125');
      expect(await readFile(join(folder, `settings.json.v0-${STAMP}`), 'utf8')).toBe(original);
    });

    describe('with a corrupt file', () => {
      const valid = `${JSON.stringify({ version: 1, printers: [printer('voron')] }, null, 2)}\n`;
      const cases = [
        { case: 'not JSON', text: 'version = 1\n', problem: 'not valid JSON' },
        { case: 'truncated JSON', text: valid.slice(0, 40), problem: 'not valid JSON' },
        { case: 'empty', text: '', problem: 'not valid JSON' },
        { case: 'a JSON array', text: '[]', problem: '(top level): expected a JSON object' },
      ];

      it.each(cases)('keeps a backup when the file is $case', async ({ text, problem }) => {
        const bytes = Buffer.from(text, 'utf8');
        await writeFile(path, bytes);
        const { logger, entries } = captureLogger();

        const store = await open(new FileSettingsBackend(path), logger);

        const backup = join(folder, `settings.json.corrupt-${STAMP}`);
        expect(await readFile(backup)).toEqual(bytes);
        expect(store.problem?.code).toBe('settings_corrupt');
        expect(store.problem?.message).toContain(`Settings file ${path} is corrupt (`);
        expect(store.problem?.message).toContain(problem);
        expect(store.problem?.message).toContain(`kept as ${backup}`);
        expect(store.problem?.message).toContain('reset every setting to its default');
        expect(store.readOnly).toBe(false);
        expect(store.get().printers).toEqual([]);
        expect(store.get().loadProblem).toEqual({
          code: 'settings_corrupt',
          outcome: 'reset',
          message: store.problem?.message,
          location: path,
          backup,
          detectedAt: '2026-01-01T12:00:00.000Z',
        });
        await flushLogs();
        const logged = entries.find((entry) => entry.msg === store.problem?.message);
        expect(logged?.level).toBe(50);
        expect(logged?.['backup']).toBe(backup);
      });

      it('replaces the corrupt file with defaults after the backup', async () => {
        await writeFile(path, '{"version": 1, "printers": [');

        const store = await open();

        const stored = JSON.parse(await readFile(path, 'utf8')) as AppSettings;
        expect(stored).toEqual(store.get());
        expect(await folderEntries()).toEqual(['settings.json', `settings.json.corrupt-${STAMP}`]);
      });

      it('numbers a backup whose name is taken', async () => {
        await writeFile(path, 'garbage one');
        await writeFile(join(folder, `settings.json.corrupt-${STAMP}`), 'earlier backup');

        const store = await open();

        expect(await readFile(join(folder, `settings.json.corrupt-${STAMP}`), 'utf8')).toBe(
          'earlier backup',
        );
        expect(await readFile(join(folder, `settings.json.corrupt-${STAMP}-2`), 'utf8')).toBe(
          'garbage one',
        );
        expect(store.problem?.message).toContain(`settings.json.corrupt-${STAMP}-2`);
      });

      it('stays read-only and leaves the file when the backup fails', async () => {
        await writeFile(path, 'not json');
        const file = new FileSettingsBackend(path);
        const backend: SettingsBackend = {
          location: file.location,
          read: () => file.read(),
          write: (text) => file.write(text),
          backup: () => Promise.reject(new Error('disk full')),
        };

        const store = await open(backend);

        expect(store.problem?.code).toBe('settings_corrupt');
        expect(store.problem?.message).toContain('a backup copy failed (disk full)');
        expect(store.problem?.message).toContain('The file was left as it is');
        expect(store.readOnly).toBe(true);
        expect(await readFile(path, 'utf8')).toBe('not json');
        await expect(store.update({ startAtLogin: true })).rejects.toMatchObject({
          code: 'settings_read_only',
          message: expect.stringContaining('Settings cannot be changed because they are read-only'),
        });
        expect(await readFile(path, 'utf8')).toBe('not json');
      });
    });

    describe('with invalid parts in valid JSON', () => {
      const backup = () => join(folder, `settings.json.corrupt-${STAMP}`);

      it('drops only the invalid printer entry', async () => {
        const document = {
          version: 1,
          cloud: { baseUrl: 'https://cloud.example.net' },
          printers: [printer('a'), { ...printer('b'), moonrakerUrl: 'not a url' }, printer('c')],
        };
        const bytes = Buffer.from(JSON.stringify(document), 'utf8');
        await writeFile(path, bytes);
        const { logger, entries } = captureLogger();

        const store = await open(new FileSettingsBackend(path), logger);

        expect(store.get().printers).toEqual([printer('a'), printer('c')]);
        expect(store.get().cloud.baseUrl).toBe('https://cloud.example.net');
        expect(store.readOnly).toBe(false);
        expect(store.problem?.code).toBe('settings_corrupt');
        expect(store.problem?.details['repairs']).toEqual([
          {
            path: 'printers[1]',
            reason: expect.stringMatching(/^printers\[1\]\.moonrakerUrl /),
            action: 'dropped',
          },
        ]);
        expect(store.problem?.message).toContain(`The original file was kept as ${backup()};`);
        expect(await readFile(backup())).toEqual(bytes);
        const stored = JSON.parse(await readFile(path, 'utf8')) as AppSettings;
        expect(stored).toEqual(store.get());
        await flushLogs();
        const warnings = entries.filter((entry) => entry['path'] === 'printers[1]');
        expect(warnings).toHaveLength(1);
        expect(warnings[0]?.level).toBe(40);
        expect(warnings[0]?.msg).toMatch(
          /^Dropped the invalid printer entry printers\[1\] from the settings: printers\[1\]\.moonrakerUrl /,
        );
        const summaries = entries.filter((entry) => entry.msg === store.problem?.message);
        expect(summaries).toHaveLength(1);
      });

      it('resets invalid fields to their defaults', async () => {
        const document = {
          version: 1,
          printers: [{ ...printer('a'), enabled: 'yes' }],
          telemetry: { sensorsIntervalSeconds: -5, sensorAllowlist: ['fan', 7] },
          logLevel: 'loud',
          startAtLogin: true,
        };
        await writeFile(path, JSON.stringify(document));

        const store = await open();

        expect(store.get().printers).toEqual([printer('a')]);
        expect(store.get().telemetry.sensorsIntervalSeconds).toBe(30);
        expect(store.get().telemetry.sensorAllowlist).toEqual([]);
        expect(store.get().logLevel).toBe('info');
        expect(store.get().startAtLogin).toBe(true);
        const repairs = store.problem?.details['repairs'] as { path: string; action: string }[];
        expect(repairs.map((repair) => [repair.path, repair.action])).toEqual([
          ['printers[0].enabled', 'reset'],
          ['telemetry.sensorsIntervalSeconds', 'reset'],
          ['telemetry.sensorAllowlist', 'reset'],
          ['logLevel', 'reset'],
        ]);
      });

      it('drops a later printer with a duplicate id', async () => {
        const document = {
          version: 1,
          printers: [
            printer('a'),
            { ...printer('b'), moonrakerUrl: 7 },
            printer('a', { name: 'Again' }),
          ],
        };
        await writeFile(path, JSON.stringify(document));

        const store = await open();

        expect(store.get().printers).toEqual([printer('a')]);
        expect(store.problem?.details['repairs']).toEqual([
          {
            path: 'printers[1]',
            reason: expect.stringMatching(/^printers\[1\]\.moonrakerUrl /),
            action: 'dropped',
          },
          { path: 'printers[2]', reason: 'printers[2].id: duplicate id "a"', action: 'dropped' },
        ]);
      });

      it('names file indexes after dropping a duplicate id', async () => {
        const document = {
          version: 1,
          printers: [
            printer('a', { name: 'Voron' }),
            printer('a', { name: 'Copy' }),
            printer('bb', { name: 'Ender' }),
            printer('ccc', { name: 'voron' }),
          ],
        };
        await writeFile(path, JSON.stringify(document));

        const store = await open();

        expect(store.get().printers.map((kept) => kept.id)).toEqual(['a', 'bb', 'ccc']);
        expect(store.problem?.details['repairs']).toEqual([
          { path: 'printers[1]', reason: 'printers[1].id: duplicate id "a"', action: 'dropped' },
          {
            path: 'printers[3].name',
            reason:
              'printers[3].name "voron" is the name of another printer too; replaced by "voron (2)"',
            action: 'replaced',
          },
        ]);
      });

      it('disables a later printer with the same Moonraker URL', async () => {
        const url = 'http://192.168.1.20:7125';
        const document = {
          version: 1,
          printers: [
            printer('a', { moonrakerUrl: url }),
            printer('a', { name: 'Copy' }),
            printer('bb', { moonrakerUrl: 'HTTP://192.168.1.20:7125/' }),
            printer('ccc', { moonrakerUrl: url, enabled: false }),
          ],
        };
        await writeFile(path, JSON.stringify(document));

        const store = await open();

        expect(store.get().printers.map((kept) => [kept.id, kept.enabled])).toEqual([
          ['a', true],
          ['bb', false],
          ['ccc', false],
        ]);
        expect(store.problem?.details['repairs']).toEqual([
          { path: 'printers[1]', reason: 'printers[1].id: duplicate id "a"', action: 'dropped' },
          {
            path: 'printers[2].enabled',
            reason:
              'printers[2].moonrakerUrl "HTTP://192.168.1.20:7125/" is also the Moonraker URL ' +
              'of printers[0]; the later printer was disabled',
            action: 'reset',
          },
        ]);
        const stored = JSON.parse(await readFile(path, 'utf8')) as AppSettings;
        expect(stored.printers[1]?.enabled).toBe(false);
      });

      it('names a printer with an empty name after its host', async () => {
        const nameless = printer('b', { name: '', moonrakerUrl: 'http://192.168.1.40:7125' });
        const document = { version: 1, printers: [printer('a'), nameless] };
        await writeFile(path, JSON.stringify(document));

        const store = await open();

        expect(store.get().printers).toEqual([printer('a'), { ...nameless, name: '192.168.1.40' }]);
        expect(store.problem?.details['repairs']).toEqual([
          {
            path: 'printers[1].name',
            reason: 'printers[1].name must not be empty; replaced by "192.168.1.40"',
            action: 'replaced',
          },
        ]);
        const stored = JSON.parse(await readFile(path, 'utf8')) as AppSettings;
        expect(stored.printers[1]?.name).toBe('192.168.1.40');
      });

      it.each([
        { case: 'a line break', name: 'Voron\n2.4', repaired: 'Voron 2.4' },
        { case: 'a NUL', name: 'Vo\u0000ron', repaired: 'Vo ron' },
        { case: 'only control characters', name: '\u0000\u0007', repaired: 'voron.local' },
        { case: 'too many characters', name: 'x'.repeat(80), repaired: 'x'.repeat(64) },
        { case: 'a number', name: 42, repaired: 'voron.local' },
      ])('repairs a name with $case', async ({ name, repaired }) => {
        const entry = { ...printer('a'), name, moonrakerUrl: 'http://voron.local:7125' };
        await writeFile(path, JSON.stringify({ version: 1, printers: [entry] }));

        const store = await open();

        expect(store.get().printers.map((kept) => kept.name)).toEqual([repaired]);
        const repairs = store.problem?.details['repairs'] as { path: string; action: string }[];
        expect(repairs.map((repair) => [repair.path, repair.action])).toEqual([
          ['printers[0].name', 'replaced'],
        ]);
      });

      it('numbers later printers with a name seen before', async () => {
        const document = {
          version: 1,
          printers: [
            printer('a', { name: 'Voron' }),
            printer('bb', { name: ' voron ' }),
            printer('ccc', { name: 'VORON' }),
            printer('dddd', { name: 'Voron (2)' }),
          ],
        };
        await writeFile(path, JSON.stringify(document));

        const store = await open();

        expect(store.get().printers.map((kept) => kept.name)).toEqual([
          'Voron',
          'voron (3)',
          'VORON (4)',
          'Voron (2)',
        ]);
        expect(store.get().printers.map((kept) => kept.id)).toEqual(['a', 'bb', 'ccc', 'dddd']);
        expect(store.problem?.details['repairs']).toEqual([
          {
            path: 'printers[1].name',
            reason:
              'printers[1].name "voron" is the name of another printer too; replaced by "voron (3)"',
            action: 'replaced',
          },
          {
            path: 'printers[2].name',
            reason:
              'printers[2].name "VORON" is the name of another printer too; replaced by "VORON (4)"',
            action: 'replaced',
          },
        ]);
      });

      it.each([
        { case: 'a string', version: '1' },
        { case: 'null', version: null },
        { case: 'a fraction', version: 1.5 },
      ])('keeps every printer when the version is $case', async ({ version }) => {
        const printers = [printer('a'), printer('b')];
        const bytes = Buffer.from(JSON.stringify({ version, printers, startAtLogin: true }));
        await writeFile(path, bytes);

        const store = await open();

        expect(store.get().version).toBe(SETTINGS_VERSION);
        expect(store.get().printers).toEqual(printers);
        expect(store.get().startAtLogin).toBe(true);
        expect(store.problem?.code).toBe('settings_corrupt');
        expect(store.problem?.details['repairs']).toEqual([
          {
            path: 'version',
            reason: expect.stringMatching(/^version must be a whole number of 0 or more, not /),
            action: 'replaced',
          },
        ]);
        expect(await readFile(backup())).toEqual(bytes);
        const stored = JSON.parse(await readFile(path, 'utf8')) as AppSettings;
        expect(stored.version).toBe(SETTINGS_VERSION);
        expect(stored.printers).toEqual(printers);
      });

      it('repairs the version and the invalid parts together', async () => {
        const document = { version: null, printers: [printer('a'), { id: 'b' }] };
        await writeFile(path, JSON.stringify(document));

        const store = await open();

        expect(store.get().printers).toEqual([printer('a')]);
        const repairs = store.problem?.details['repairs'] as { path: string; action: string }[];
        expect(repairs.map((repair) => [repair.path, repair.action])).toEqual([
          ['version', 'replaced'],
          ['printers[1]', 'dropped'],
        ]);
      });

      it('warns about unknown keys of a repaired file', async () => {
        const document = {
          version: 1,
          printers: [{ ...printer('a'), enabeld: false }],
          logLevel: 'loud',
        };
        await writeFile(path, JSON.stringify(document));
        const { logger, entries } = captureLogger();

        const store = await open(new FileSettingsBackend(path), logger);
        await flushLogs();

        expect(store.problem?.code).toBe('settings_corrupt');
        const warnings = entries.filter((entry) => entry.msg.startsWith('Unknown setting'));
        expect(warnings.map((entry) => entry.msg)).toEqual([
          'Unknown setting printers[0].enabeld; did you mean enabled?',
        ]);
      });

      it('warns about unknown keys of a migrated file', async () => {
        const document = { printers: [{ id: 'a', name: 'A', url: 'http://a:7125', colour: 1 }] };
        await writeFile(path, JSON.stringify(document));
        const { logger, entries } = captureLogger();

        await open(new FileSettingsBackend(path), logger);
        await flushLogs();

        const warnings = entries.filter((entry) => entry.msg.startsWith('Unknown setting'));
        expect(warnings.map((entry) => entry.msg)).toEqual([
          'Unknown setting printers[0].colour; it is ignored',
        ]);
      });

      it('applies the repaired settings read-only when the backup fails', async () => {
        const text = JSON.stringify({ version: 1, printers: [printer('a'), { id: 'b' }] });
        await writeFile(path, text);
        const file = new FileSettingsBackend(path);
        const backend: SettingsBackend = {
          location: file.location,
          read: () => file.read(),
          write: (written) => file.write(written),
          backup: () => Promise.reject(new Error('disk full')),
        };

        const store = await open(backend);

        expect(store.get().printers).toEqual([printer('a')]);
        expect(store.readOnly).toBe(true);
        expect(store.problem?.code).toBe('settings_corrupt');
        expect(store.problem?.message).toContain('a backup copy failed (disk full)');
        expect(await readFile(path, 'utf8')).toBe(text);
      });
    });

    describe('with a file of a newer version', () => {
      const newer = `${JSON.stringify(
        { version: SETTINGS_VERSION + 1, printers: [printer('voron')], fleetGroups: ['a'] },
        null,
        2,
      )}\n`;

      it('reports the version and opens read-only', async () => {
        await writeFile(path, newer);

        const store = await open();

        expect(store.problem?.code).toBe('settings_newer_version');
        expect(store.problem?.message).toBe(
          `Settings file ${path} was written by a newer moonraker-owl (settings version ` +
            `${SETTINGS_VERSION + 1}; this version reads up to ${SETTINGS_VERSION}). Settings are ` +
            'read-only so that the file is not downgraded; update moonraker-owl to change them.',
        );
        expect(store.readOnly).toBe(true);
        expect(store.get().printers).toEqual([printer('voron')]);
      });

      it('rejects updates and leaves the file untouched', async () => {
        await writeFile(path, newer);
        const before = await stat(path);

        const store = await open();

        await expect(store.update({ logLevel: 'debug' })).rejects.toMatchObject({
          code: 'settings_read_only',
          message: expect.stringContaining('was written by a newer moonraker-owl'),
        });
        expect(await readFile(path, 'utf8')).toBe(newer);
        expect((await stat(path)).mtimeMs).toBe(before.mtimeMs);
        expect(await folderEntries()).toEqual(['settings.json']);
      });

      it('uses defaults when the newer layout does not fit this version', async () => {
        const changed = JSON.stringify({ version: SETTINGS_VERSION + 1, printers: { a: 1 } });
        await writeFile(path, changed);

        const store = await open();

        expect(store.problem?.code).toBe('settings_newer_version');
        expect(store.get().printers).toEqual([]);
        expect(await readFile(path, 'utf8')).toBe(changed);
      });
    });

    it('opens read-only when the file cannot be read', async () => {
      await mkdir(path);

      const store = await open();

      expect(store.problem?.code).toBe('settings_unreadable');
      expect(store.problem?.message).toContain(`Failed to read settings file ${path} (`);
      expect(store.readOnly).toBe(true);
      await expect(store.update({ startAtLogin: true })).rejects.toMatchObject({
        code: 'settings_read_only',
      });
    });
  });

  describe('update', () => {
    it('applies a patch and stores it', async () => {
      const store = await open();

      const result = await store.update({
        cloud: { baseUrl: 'https://cloud.example.net' },
        discovery: { interfaceAddress: '192.168.1.5' },
        notifications: { printPaused: false },
      });

      expect(result.cloud.baseUrl).toBe('https://cloud.example.net');
      expect(result.cloud.brokerUrl).toBe('mqtts://mqtt.owl.example.com:8883');
      expect(result.discovery).toEqual({ mdns: true, interfaceAddress: '192.168.1.5' });
      expect(result.notifications.printPaused).toBe(false);
      expect(result.notifications.printFailed).toBe(true);
      const stored = JSON.parse(await readFile(path, 'utf8')) as AppSettings;
      expect(stored).toEqual(result);
    });

    it('removes the interface address on null', async () => {
      const store = await open();
      await store.update({ discovery: { interfaceAddress: '192.168.1.5' } });

      const result = await store.update({ discovery: { interfaceAddress: null } });

      expect(result.discovery).toEqual({ mdns: true });
    });

    it('applies a mutator that returns a replacement', async () => {
      const store = await open();

      const result = await store.update((draft) => ({ ...draft, printers: [printer('ender')] }));

      expect(result.printers).toEqual([printer('ender')]);
    });

    it('rejects an unknown patch field', async () => {
      const store = await open();

      const patch = { startAtLogin: true, printers: [] } as Record<string, unknown>;
      await expect(store.update(patch)).rejects.toMatchObject({
        code: 'settings_invalid',
        message: 'Invalid settings change: printers is not a known field',
      });
      expect(store.get().startAtLogin).toBe(false);
    });

    it.each([
      {
        patch: { telemetry: { sensorIntervalSeconds: 5 } },
        message:
          'telemetry.sensorIntervalSeconds is not a known field; did you mean sensorsIntervalSeconds?',
      },
      {
        patch: { cloud: { brokerURL: 'mqtts://other.example:8883' } },
        message: 'cloud.brokerURL is not a known field; did you mean brokerUrl?',
      },
      {
        patch: { notifications: { printComplete: false } },
        message: 'notifications.printComplete is not a known field; did you mean printCompleted?',
      },
      {
        patch: { discovery: { colour: 'red' } },
        message: 'discovery.colour is not a known field',
      },
      {
        patch: { update: { feedUrl: 'javascript:alert(1)' } },
        message: 'update.feedUrl must be an http:// or https:// URL',
      },
      {
        patch: { discovery: { interfaceAddress: 'not-an-ip' } },
        message: 'discovery.interfaceAddress must be an IPv4 or IPv6 address, such as 192.168.1.5',
      },
      {
        patch: { telemetry: { sensorAllowlist: [''] } },
        message: 'telemetry.sensorAllowlist[0] must not be empty',
      },
      {
        patch: { telemetry: { sensorDenylist: ['extruder\u0000'] } },
        message: 'telemetry.sensorDenylist[0] must not contain control characters',
      },
    ])('rejects nested patch $message', async ({ patch, message }) => {
      const store = await open();
      const before = JSON.stringify(store.get());

      await expect(store.update(patch as Record<string, unknown>)).rejects.toMatchObject({
        code: 'settings_invalid',
        message: `Invalid settings change: ${message}`,
      });
      expect(JSON.stringify(store.get())).toBe(before);
      expect(await folderEntries()).toEqual([]);
    });

    it('rejects an invalid value with its path', async () => {
      const store = await open();

      await expect(
        store.update({ telemetry: { sensorsIntervalSeconds: -5 } }),
      ).rejects.toMatchObject({
        code: 'settings_invalid',
        message:
          'Invalid settings change: telemetry.sensorsIntervalSeconds must be between 1 and 3600 seconds',
      });
      await expect(
        store.update((draft) => {
          draft.printers.push({ ...printer('a'), moonrakerUrl: 'ftp://printer' });
        }),
      ).rejects.toMatchObject({
        code: 'settings_invalid',
        message:
          'Invalid settings change: printers[0].moonrakerUrl must be an http:// or https:// address',
      });
      expect(store.get().telemetry.sensorsIntervalSeconds).toBe(30);
      expect(await folderEntries()).toEqual([]);
    });

    it.each([
      { case: 'above one hour', seconds: 10_000_000 },
      { case: 'just above the maximum', seconds: 3600.5 },
      { case: 'below one second', seconds: 0.05 },
    ])('rejects a sensors interval $case', async ({ seconds }) => {
      const store = await open();

      await expect(
        store.update({ telemetry: { sensorsIntervalSeconds: seconds } }),
      ).rejects.toMatchObject({
        code: 'settings_invalid',
        message:
          'Invalid settings change: telemetry.sensorsIntervalSeconds must be between 1 and 3600 seconds',
      });
      expect(store.get().telemetry.sensorsIntervalSeconds).toBe(30);
    });

    it.each([1, 3600])('accepts a sensors interval of %d s', async (seconds) => {
      const store = await open();

      const result = await store.update({ telemetry: { sensorsIntervalSeconds: seconds } });

      expect(result.telemetry.sensorsIntervalSeconds).toBe(seconds);
    });

    it('rejects a sensor denylist of 10000 entries', async () => {
      const store = await open();
      const sensorDenylist = Array.from({ length: 10_000 }, (_, index) => `sensor ${index}`);

      await expect(store.update({ telemetry: { sensorDenylist } })).rejects.toMatchObject({
        code: 'settings_invalid',
        message: 'Invalid settings change: telemetry.sensorDenylist must have at most 100 entries',
      });
    });

    it('rejects a sensor name of more than 128 characters', async () => {
      const store = await open();

      await expect(
        store.update({ telemetry: { sensorAllowlist: ['fan', 'x'.repeat(129)] } }),
      ).rejects.toMatchObject({
        code: 'settings_invalid',
        message:
          'Invalid settings change: telemetry.sensorAllowlist[1] must be at most 128 characters',
      });
    });

    it('rejects an interface address of more than 256 characters', async () => {
      const store = await open();

      await expect(
        store.update({ discovery: { interfaceAddress: '1'.repeat(257) } }),
      ).rejects.toMatchObject({ code: 'settings_invalid' });
    });

    it.each([
      { case: 'a NUL', name: 'Vo\u0000ron' },
      { case: 'a line break', name: 'Voron\n2.4' },
      { case: 'a line separator', name: 'Voron\u20282.4' },
    ])('rejects a printer name with $case', async ({ name }) => {
      const store = await open();

      await expect(
        store.update((draft) => {
          draft.printers.push(printer('a', { name }));
        }),
      ).rejects.toMatchObject({
        code: 'settings_invalid',
        message:
          'Invalid settings change: printers[0].name must not contain control characters such ' +
          'as a line break, a tab or NUL',
      });
    });

    it('rejects two printers with one name in any case', async () => {
      const store = await open();

      await expect(
        store.update((draft) => {
          draft.printers.push(printer('a', { name: 'Voron' }), printer('b', { name: ' VORON' }));
        }),
      ).rejects.toMatchObject({
        code: 'settings_invalid',
        message:
          'Invalid settings change: printers[1].name: "VORON" is already the name of printers[0]',
      });
    });

    it('rejects two printers with one id', async () => {
      const store = await open();

      await expect(
        store.update((draft) => {
          draft.printers.push(printer('a'), printer('a', { name: 'Other' }));
        }),
      ).rejects.toMatchObject({
        code: 'settings_invalid',
        message: 'Invalid settings change: printers[1].id: duplicate id "a"',
      });
    });

    it('keeps fields outside the schema out of the file', async () => {
      const store = await open();

      await store.update((draft) => {
        const withKey = { ...printer('voron'), apiKey: '0123456789abcdef0123456789abcdef' };
        draft.printers.push(withKey);
      });

      const text = await readFile(path, 'utf8');
      expect(text).toContain('"voron"');
      expect(text).not.toContain('apiKey');
      expect(text).not.toContain('0123456789abcdef0123456789abcdef');
    });

    it('serializes concurrent updates', async () => {
      const store = await open();
      const ids = Array.from({ length: 25 }, (_, index) => `printer-${index}`);

      await Promise.all(
        ids.map((id) =>
          store.update((draft) => {
            draft.printers.push(printer(id));
          }),
        ),
      );

      expect(store.get().printers.map((entry) => entry.id)).toEqual(ids);
      const stored = JSON.parse(await readFile(path, 'utf8')) as AppSettings;
      expect(stored).toEqual(store.get());
      expect(await folderEntries()).toEqual(['settings.json']);
    });

    it.skipIf(onWindows)('writes the file with mode 0600', async () => {
      const store = await open();

      await store.update({ startAtLogin: true });

      expect((await stat(path)).mode & 0o777).toBe(0o600);
    });

    it('keeps the settings when the write fails', async () => {
      const file = new FileSettingsBackend(path);
      let failures = 1;
      const backend: SettingsBackend = {
        location: file.location,
        read: () => file.read(),
        backup: (label) => file.backup(label),
        write: (text) => (failures-- > 0 ? Promise.reject(new Error('EROFS')) : file.write(text)),
      };
      const store = await open(backend);

      await expect(store.update({ startAtLogin: true })).rejects.toMatchObject({
        code: 'settings_write_failed',
        message: `Failed to write settings to ${path} (EROFS); the change was not saved.`,
      });
      expect(store.get().startAtLogin).toBe(false);

      await store.update({ logLevel: 'warn' });
      expect(store.get().logLevel).toBe('warn');
      expect(store.get().startAtLogin).toBe(false);
    });

    it('returns frozen settings', async () => {
      const store = await open();
      await store.update((draft) => {
        draft.printers.push(printer('voron'));
      });

      const settings = store.get() as AppSettings;

      expect(() => settings.printers.push(printer('x'))).toThrow(TypeError);
      expect(() => {
        (settings.printers[0] as PrinterSettings).name = 'Renamed';
      }).toThrow(TypeError);
    });

    it('rejects updates after dispose', async () => {
      const store = await open();
      store.dispose();

      await expect(store.update({ startAtLogin: true })).rejects.toMatchObject({
        code: 'settings_closed',
        message: 'Settings store is closed; no more changes are accepted',
      });
    });
  });

  describe('dismissProblem', () => {
    it('keeps the problem of a corrupt file across restarts until dismissed', async () => {
      await writeFile(path, 'not json');
      const first = await open();
      const problem = first.get().loadProblem;
      expect(problem?.outcome).toBe('reset');
      await first.flush();

      const second = await open();
      expect(second.problem).toBeUndefined();
      expect(second.get().loadProblem).toEqual(problem);

      const result = await second.dismissProblem();

      expect(result.loadProblem).toBeUndefined();
      expect(second.get().loadProblem).toBeUndefined();
      const stored = JSON.parse(await readFile(path, 'utf8')) as AppSettings;
      expect(stored.loadProblem).toBeUndefined();
      const third = await open();
      expect(third.get().loadProblem).toBeUndefined();
    });

    it('notifies listeners once', async () => {
      await writeFile(path, JSON.stringify({ version: 1, printers: [{ id: 'a' }] }));
      const store = await open();
      expect(store.get().loadProblem?.outcome).toBe('repaired');
      const seen: boolean[] = [];
      store.onChange((settings, previous) => {
        seen.push(settings.loadProblem === undefined && previous.loadProblem !== undefined);
      });

      await store.dismissProblem();
      await store.dismissProblem();

      expect(seen).toEqual([true]);
    });

    it('drops the problem of read-only settings in memory only', async () => {
      await mkdir(path);
      const store = await open();
      expect(store.get().loadProblem).toMatchObject({
        code: 'settings_unreadable',
        outcome: 'read_only',
        location: path,
      });

      const result = await store.dismissProblem();

      expect(result.loadProblem).toBeUndefined();
      expect(store.readOnly).toBe(true);
      expect((await stat(path)).isDirectory()).toBe(true);
      const reopened = await open();
      expect(reopened.get().loadProblem?.code).toBe('settings_unreadable');
    });

    it('rejects after dispose', async () => {
      const store = await open();
      store.dispose();

      await expect(store.dismissProblem()).rejects.toMatchObject({ code: 'settings_closed' });
    });
  });

  describe('onChange', () => {
    it('notifies with the new and previous settings', async () => {
      const store = await open();
      const seen: Array<[boolean, boolean]> = [];
      store.onChange((settings, previous) => {
        seen.push([settings.startAtLogin, previous.startAtLogin]);
      });

      await store.update({ startAtLogin: true });

      expect(seen).toEqual([[true, false]]);
    });

    it('skips an update that changes nothing', async () => {
      const store = await open();
      let calls = 0;
      store.onChange(() => {
        calls += 1;
      });

      await store.update({ logLevel: 'info' });

      expect(calls).toBe(0);
      expect(await folderEntries()).toEqual([]);
    });

    it('stops after the disposer runs', async () => {
      const store = await open();
      let calls = 0;
      const subscription = store.onChange(() => {
        calls += 1;
      });

      await store.update({ startAtLogin: true });
      subscription.dispose();
      await store.update({ startAtLogin: false });

      expect(calls).toBe(1);
    });

    it('keeps notifying after a listener throws', async () => {
      const { logger, entries } = captureLogger();
      const store = await open(new FileSettingsBackend(path), logger);
      let calls = 0;
      store.onChange(() => {
        throw new Error('listener broke');
      });
      store.onChange(() => {
        calls += 1;
      });

      await store.update({ startAtLogin: true });

      expect(calls).toBe(1);
      await flushLogs();
      expect(entries.some((entry) => entry.msg.startsWith('settings change listener threw'))).toBe(
        true,
      );
    });
  });
});
