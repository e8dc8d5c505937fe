import { describe, expect, it } from 'vitest';

import { SETTINGS_VERSION } from '../../../shared/settings/app-settings.js';
import { MIGRATIONS, migrateSettingsDocument, readSettingsVersion } from './migrations.js';
import { readSettingsText } from './settings-document.js';

describe('MIGRATIONS', () => {
  it('has one step for each version below the current one', () => {
    expect(MIGRATIONS.map((step) => step.from)).toEqual(
      Array.from({ length: SETTINGS_VERSION }, (_, index) => index),
    );
  });
});

describe('readSettingsVersion', () => {
  it('reads a missing version as 0', () => {
    expect(readSettingsVersion({ printers: [] })).toEqual({ ok: true, version: 0 });
  });

  it('reads a whole number', () => {
    expect(readSettingsVersion({ version: 3 })).toEqual({ ok: true, version: 3 });
  });

  it.each([
    { value: 1.5, shown: '1.5', version: SETTINGS_VERSION },
    { value: -1, shown: '-1', version: SETTINGS_VERSION },
    { value: null, shown: 'null', version: SETTINGS_VERSION },
    { value: 'one', shown: '"one"', version: SETTINGS_VERSION },
    { value: '1', shown: '"1"', version: 1 },
    { value: '0', shown: '"0"', version: 0 },
    { value: ' 7 ', shown: '" 7 "', version: 7 },
  ])('reads an invalid version of $shown as $version', ({ value, shown, version }) => {
    expect(readSettingsVersion({ version: value })).toEqual({
      ok: true,
      version,
      invalid:
        `version must be a whole number of 0 or more, not ${shown}, ` +
        `so the file was read as version ${version}`,
    });
  });

  it('rejects a document that is not an object', () => {
    expect(readSettingsVersion('text')).toEqual({
      ok: false,
      path: '(top level)',
      problem: 'expected a JSON object, got a string',
    });
  });
});

describe('migrateSettingsDocument', () => {
  describe('from version 0', () => {
    it('moves the cloud endpoints and renames printer urls', () => {
      const { document, applied } = migrateSettingsDocument(
        {
          cloudUrl: 'https://cloud.example.net',
          brokerUrl: 'mqtts://mqtt.example.net:8883',
          printers: [{ id: 'a', name: 'A', url: 'http://10.0.0.2:7125', enabled: false }],
          logLevel: 'warn',
        },
        0,
      );

      expect(document).toEqual({
        version: 1,
        cloud: { baseUrl: 'https://cloud.example.net', brokerUrl: 'mqtts://mqtt.example.net:8883' },
        printers: [{ id: 'a', name: 'A', moonrakerUrl: 'http://10.0.0.2:7125', enabled: false }],
        logLevel: 'warn',
      });
      expect(applied).toHaveLength(1);
      expect(applied[0]).toMatch(/^0 -> 1: /);
    });

    it('prefers fields that already have the new names', () => {
      const { document } = migrateSettingsDocument(
        {
          cloudUrl: 'https://old.example.net',
          cloud: { baseUrl: 'https://new.example.net' },
          printers: [
            { id: 'a', name: 'A', url: 'http://old:7125', moonrakerUrl: 'http://new:7125' },
          ],
        },
        0,
      );

      expect(document['cloud']).toEqual({ baseUrl: 'https://new.example.net' });
      expect(document['printers']).toEqual([
        { id: 'a', name: 'A', url: 'http://old:7125', moonrakerUrl: 'http://new:7125' },
      ]);
    });

    it('leaves unexpected shapes for validation to report', () => {
      const { document } = migrateSettingsDocument({ printers: 'none' }, 0);

      expect(document).toEqual({ version: 1, cloud: {}, printers: 'none' });
      expect(readSettingsText(JSON.stringify({ printers: 'none' }))).toMatchObject({
        kind: 'repaired',
        settings: { printers: [] },
        repairs: [
          { path: 'printers', reason: 'printers must be a list, not text', action: 'reset' },
        ],
      });
    });

    it('yields settings that pass the current schema', () => {
      const reading = readSettingsText(
        JSON.stringify({ printers: [{ id: 'a', name: 'A', url: 'http://10.0.0.2:7125' }] }),
      );

      expect(reading.kind).toBe('migrated');
      if (reading.kind !== 'migrated') return;
      expect(reading.fromVersion).toBe(0);
      expect(reading.settings.printers[0]?.moonrakerUrl).toBe('http://10.0.0.2:7125');
    });
  });

  it('applies nothing to the current version', () => {
    const document = { version: SETTINGS_VERSION };

    expect(migrateSettingsDocument(document, SETTINGS_VERSION)).toEqual({ document, applied: [] });
  });

  it('throws for a newer version', () => {
    expect(() => migrateSettingsDocument({}, SETTINGS_VERSION + 1)).toThrow(
      `Settings version ${SETTINGS_VERSION + 1} is newer than ${SETTINGS_VERSION}`,
    );
  });
});
