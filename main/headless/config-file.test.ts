import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { CodedError } from '../support/coded-error.js';
import { loadConfig, parseConfigText, redactConfig, warnUnknownKeys } from './config-file.js';

const minimal = `
[cloud]
base_url = "http://127.0.0.1:5024"
broker_url = "mqtt://127.0.0.1:1883"
`;

function expectConfigError(text: string, code: string, fragment: string): void {
  let caught: unknown;
  try {
    parseConfigText(text, '/etc/owl.toml');
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(CodedError);
  expect((caught as CodedError).code).toBe(code);
  expect((caught as CodedError).message).toContain(fragment);
}

describe('parseConfigText', () => {
  it('fills defaults for a minimal file', () => {
    const config = parseConfigText(minimal, '/etc/owl.toml');
    expect(config.telemetry.sensors_interval_seconds).toBe(30);
    expect(config.health.enabled).toBe(false);
    expect(config.printers).toEqual([]);
    expect(config.logging.level).toBe('info');
  });

  it('reads the example file shipped with the project', async () => {
    const loaded = await loadConfig(join(import.meta.dirname, '../../examples/moonraker-owl.toml'));
    expect(loaded.config.printers.map((printer) => printer.name)).toEqual(['voron-1', 'ender-2']);
    expect(loaded.config.cloud.broker_url).toBe('mqtts://mqtt.owl.example.com:8883');
  });

  it('reports a TOML syntax error with its line', () => {
    expectConfigError('[cloud\nbase_url = 1', 'config_syntax', 'at line 1');
  });

  it('reports an invalid value with its path', () => {
    expectConfigError(
      `${minimal}\n[[printers]]\nname = "a"\nmoonraker_url = "ftp://x"\n`,
      'config_invalid',
      '  - printers[0].moonraker_url must be a valid URL',
    );
  });

  it('rejects two printers with one name', () => {
    expectConfigError(
      `${minimal}\n[[printers]]\nname = "Voron"\n[[printers]]\nname = "voron"\n`,
      'config_invalid',
      'printers[1].name must be unique, but "voron" is the name of another printer too',
    );
  });

  it.each([
    {
      key: 'sensors_interval_seconds',
      value: '10000000',
      message: 'telemetry.sensors_interval_seconds must be between 1 and 3600 seconds',
    },
    {
      key: 'sensors_interval_seconds',
      value: '0.05',
      message: 'telemetry.sensors_interval_seconds must be between 1 and 3600 seconds',
    },
    {
      key: 'sensors_min_interval_seconds',
      value: '5',
      message: 'telemetry.sensors_min_interval_seconds must be between 0.1 and 1 seconds',
    },
    {
      key: 'status_heartbeat_seconds',
      value: '3e9',
      message: 'telemetry.status_heartbeat_seconds must be between 1 and 3600 seconds',
    },
    {
      key: 'status_min_interval_seconds',
      value: '-1',
      message: 'telemetry.status_min_interval_seconds must be between 0 and 60 seconds',
    },
    {
      key: 'sensors_interval_seconds',
      value: '"30"',
      message: 'telemetry.sensors_interval_seconds must be a number, not text',
    },
  ])('rejects $key = $value', ({ key, value, message }) => {
    expectConfigError(`${minimal}\n[telemetry]\n${key} = ${value}\n`, 'config_invalid', message);
  });

  it.each([
    {
      key: 'session_expiry_seconds',
      value: '1e9',
      message: 'resilience.session_expiry_seconds must be between 0 and 604800 seconds',
    },
    {
      key: 'session_expiry_seconds',
      value: '1.5',
      message: 'resilience.session_expiry_seconds must be a whole number of seconds',
    },
    {
      key: 'reconnect_perpetual_seconds',
      value: '86400',
      message: 'resilience.reconnect_perpetual_seconds must be between 60 and 3600 seconds',
    },
  ])('rejects $key = $value', ({ key, value, message }) => {
    expectConfigError(`${minimal}\n[resilience]\n${key} = ${value}\n`, 'config_invalid', message);
  });

  it('accepts every duration at the ends of its range', () => {
    const config = parseConfigText(
      `${minimal}
[telemetry]
sensors_interval_seconds = 3600
sensors_min_interval_seconds = 0.1
status_heartbeat_seconds = 1
status_min_interval_seconds = 0
[resilience]
session_expiry_seconds = 604800
reconnect_perpetual_seconds = 60
`,
      '/etc/owl.toml',
    );
    expect(config.telemetry.sensors_interval_seconds).toBe(3600);
    expect(config.telemetry.sensors_min_interval_seconds).toBe(0.1);
    expect(config.telemetry.status_heartbeat_seconds).toBe(1);
    expect(config.telemetry.status_min_interval_seconds).toBe(0);
    expect(config.resilience.session_expiry_seconds).toBe(604_800);
    expect(config.resilience.reconnect_perpetual_seconds).toBe(60);
  });

  it('rejects a sensor denylist of 10000 entries', () => {
    const entries = Array.from({ length: 10_000 }, (_, index) => `"sensor ${index}"`).join(', ');
    expectConfigError(
      `${minimal}\n[telemetry]\nsensor_denylist = [${entries}]\n`,
      'config_invalid',
      'telemetry.sensor_denylist must have at most 100 entries',
    );
  });

  it('requires the cloud endpoints', () => {
    expectConfigError('data_dir = "x"', 'config_invalid', 'cloud');
  });
});

describe('loadConfig', () => {
  let folder: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'owl-config-'));
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('resolves a relative data folder from the file', async () => {
    const path = join(folder, 'owl.toml');
    await writeFile(path, `data_dir = "state"\n${minimal}`);
    const loaded = await loadConfig(path);
    expect(loaded.dataDir).toBe(join(folder, 'state'));
  });

  it('lists unknown keys with their path and the closest key', async () => {
    const path = join(folder, 'owl.toml');
    await writeFile(
      path,
      `${minimal}\n[[printers]]\nname = "a"\nmoonraker_ur = "http://a.local:7125"\ncolour = "red"\n`,
    );

    const loaded = await loadConfig(path);
    const lines: string[] = [];
    warnUnknownKeys(loaded, (line) => lines.push(line));

    expect(lines).toEqual([
      `${path}: Unknown setting printers[0].moonraker_ur; did you mean moonraker_url?`,
      `${path}: Unknown setting printers[0].colour; it is ignored`,
    ]);
    expect(loaded.config.printers[0]?.moonraker_url).toBe('http://127.0.0.1:7125');
  });

  it('lists no unknown keys for a valid file', async () => {
    const path = join(folder, 'owl.toml');
    await writeFile(path, minimal);

    expect((await loadConfig(path)).unknownKeys).toEqual([]);
  });

  it('names the missing file and the fix', async () => {
    const path = join(folder, 'absent.toml');
    await expect(loadConfig(path)).rejects.toMatchObject({
      code: 'config_not_found',
      message: expect.stringContaining(`${path}`),
    });
  });
});

describe('redactConfig', () => {
  it('replaces API keys', () => {
    const config = parseConfigText(
      `${minimal}\n[[printers]]\nname = "a"\napi_key = "secret-key"\n`,
      '/etc/owl.toml',
    );
    const shown = JSON.stringify(redactConfig(config));
    expect(shown).not.toContain('secret-key');
    expect(shown).toContain('[redacted]');
  });
});
