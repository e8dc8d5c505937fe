import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { CliProcesses } from '../../main/headless/__testing__/cli-process.js';
import { SETTINGS_FILE_NAME } from '../../main/service/settings/settings-backend.js';
import { BridgeRig } from '../support/bridge-rig.js';

const EXIT_TIMEOUT_MS = 20_000;
const CORRUPT_SETTINGS = '{"version": 1, "printers": [';

const cli = new CliProcesses();
let rig: BridgeRig;
let dataDir: string;

beforeEach(async () => {
  rig = new BridgeRig();
  dataDir = await rig.tempDir('owl-serve-options-');
});

afterEach(async () => {
  cli.killAll();
  await rig.dispose();
});

/** Runs `serve` with a corrupt settings file, so that any load of the settings would repair it. */
async function serveWith(args: readonly string[]) {
  await writeFile(join(dataDir, SETTINGS_FILE_NAME), CORRUPT_SETTINGS, { mode: 0o600 });
  const outcome = await cli.run(['serve', '--no-mdns', ...args], EXIT_TIMEOUT_MS);
  return outcome;
}

async function expectSettingsUntouched(): Promise<void> {
  expect(await readFile(join(dataDir, SETTINGS_FILE_NAME), 'utf8')).toBe(CORRUPT_SETTINGS);
  expect((await readdir(dataDir)).filter((name) => name.includes('.corrupt-'))).toEqual([]);
}

describe('serve option checks', { timeout: 60_000 }, () => {
  it('rejects a bad port before loading settings', async () => {
    const outcome = await serveWith(['--data-dir', dataDir, '--port', '70000']);

    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain('A port must be 0 to 65535, got "70000"');
    await expectSettingsUntouched();
  });

  it('rejects a missing ui folder', async () => {
    const ui = join(dataDir, 'no-such-ui');

    const outcome = await serveWith(['--data-dir', dataDir, '--ui', ui]);

    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain(`--ui ${ui} is not a folder`);
    await expectSettingsUntouched();
  });

  it('rejects a ui folder without index.html', async () => {
    const ui = join(dataDir, 'empty-ui');
    await mkdir(ui);

    const outcome = await serveWith(['--data-dir', dataDir, '--ui', ui]);

    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain(`--ui ${ui} has no index.html`);
    await expectSettingsUntouched();
  });

  it('rejects a data dir that is a file', async () => {
    const file = join(dataDir, 'not-a-folder');
    await writeFile(file, 'x');

    const outcome = await cli.run(['serve', '--no-mdns', '--data-dir', file], EXIT_TIMEOUT_MS);

    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain(`--data-dir ${file} is a file, not a folder; choose a folder`);
    expect(await readFile(file, 'utf8')).toBe('x');
  });

  it('names a control token that is a folder', async () => {
    const token = join(dataDir, 'control-token');
    await mkdir(token);

    const outcome = await serveWith(['--data-dir', dataDir]);

    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain(`The control token ${token} is not a file`);
    await expectSettingsUntouched();
  });
});
