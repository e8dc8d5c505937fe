import { z } from 'zod';
import { describe, expect, it } from 'vitest';

import { appSettingsSchema } from './app-settings.js';
import { closestKey, findUnknownKeys } from './unknown-keys.js';

describe('findUnknownKeys', () => {
  it('names a misspelt key with its path and the closest key', () => {
    const found = findUnknownKeys(appSettingsSchema, {
      version: 1,
      printers: [{ id: 'a', name: 'Voron', moonrakerURL: 'http://voron.local' }],
    });

    expect(found).toEqual([
      {
        path: 'printers[0].moonrakerURL',
        suggestion: 'moonrakerUrl',
        message: 'Unknown setting printers[0].moonrakerURL; did you mean moonrakerUrl?',
      },
    ]);
  });

  it('names a key without a close match as ignored', () => {
    const found = findUnknownKeys(appSettingsSchema, { version: 1, theme: 'dark' });

    expect(found).toEqual([{ path: 'theme', message: 'Unknown setting theme; it is ignored' }]);
  });

  it('looks inside defaulted sections', () => {
    const found = findUnknownKeys(appSettingsSchema, { version: 1, discovery: { mnds: false } });

    expect(found.map((unknown) => unknown.message)).toEqual([
      'Unknown setting discovery.mnds; did you mean mdns?',
    ]);
  });

  it('lists every unknown key once', () => {
    const found = findUnknownKeys(appSettingsSchema, {
      version: 1,
      extra: 1,
      printers: [
        { id: 'a', name: 'A', moonrakerUrl: 'http://a', colour: 'red' },
        { id: 'b', name: 'B', moonrakerUrl: 'http://b', colour: 'blue' },
      ],
    });

    expect(found.map((unknown) => unknown.path)).toEqual([
      'extra',
      'printers[0].colour',
      'printers[1].colour',
    ]);
  });

  it('finds nothing in a valid document', () => {
    expect(findUnknownKeys(appSettingsSchema, { version: 1, startAtLogin: true })).toEqual([]);
  });

  it('skips strict, loose and record objects', () => {
    const schema = z.object({
      strict: z.strictObject({ a: z.string() }),
      loose: z.looseObject({ a: z.string() }),
      record: z.record(z.string(), z.number()),
    });

    const found = findUnknownKeys(schema, {
      strict: { a: 'x', b: 1 },
      loose: { a: 'x', b: 1 },
      record: { anything: 1 },
    });

    expect(found).toEqual([]);
  });
});

describe('closestKey', () => {
  it('matches across case, underscores and a missing letter', () => {
    expect(closestKey('moonraker_ur', ['name', 'moonraker_url', 'api_key'])).toBe('moonraker_url');
    expect(closestKey('API_KEY', ['name', 'api_key'])).toBe('api_key');
  });

  it('matches a key cut short', () => {
    expect(closestKey('sensors_interval', ['sensors_interval_seconds'])).toBe(
      'sensors_interval_seconds',
    );
  });

  it('returns nothing for a distant key', () => {
    expect(closestKey('colour', ['name', 'moonraker_url', 'enabled'])).toBeUndefined();
  });
});
