import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { CliProcesses } from '../../main/headless/__testing__/cli-process.js';
import { SETTINGS_FILE_NAME } from '../../main/service/settings/settings-backend.js';
import { BridgeRig } from '../support/bridge-rig.js';
import { connectClient } from '../support/fleet-service-rig.js';

const START_TIMEOUT_MS = 20_000;
const RUNNING_LINE = 'moonraker-owl is running.';

const cli = new CliProcesses();
let rig: BridgeRig;
let dataDir: string;

beforeEach(async () => {
  rig = new BridgeRig();
  dataDir = await rig.tempDir('owl-serve-problem-');
});

afterEach(async () => {
  cli.killAll();
  await rig.dispose();
});

/** Starts `serve` on this test's data folder and connects a control client as the web UI does. */
async function startServe() {
  const serve = cli.start(['serve', '--no-mdns', '--data-dir', dataDir]);
  await serve.waitForOutput(RUNNING_LINE, START_TIMEOUT_MS);
  const pageUrl = /Open (\S+)/.exec(serve.stdout)?.[1];
  if (!pageUrl) throw new Error(`serve printed no page address: ${serve.stdout}`);
  const client = await connectClient(rig, { pageUrl, origin: new URL(pageUrl).origin });
  return { serve, client };
}

async function stop(serve: ReturnType<typeof cli.start>): Promise<void> {
  serve.stop();
  const outcome = await serve.exited(START_TIMEOUT_MS);
  expect(outcome.code).toBe(0);
}

describe('serve on a corrupt settings file', () => {
  it('prints the problem until it is dismissed', { timeout: 60_000 }, async () => {
    await writeFile(join(dataDir, SETTINGS_FILE_NAME), '{"version": 1, "printers": [', {
      mode: 0o600,
    });

    const first = await startServe();
    await first.serve.waitForOutput('The web UI shows this problem', START_TIMEOUT_MS);
    const backups = (await readdir(dataDir)).filter((name) => name.includes('.corrupt-'));
    expect(backups).toHaveLength(1);
    const backup = join(dataDir, backups[0] ?? '');
    const lines = first.serve.stdout.split('\n');
    const running = lines.findIndex((line) => line.startsWith(RUNNING_LINE));
    expect(lines[running + 1]).toMatch(/^Settings problem: Settings file .* is corrupt \(/);
    expect(lines[running + 1]).toContain(`The file was kept as ${backup}`);
    expect(lines[running + 1]).toContain('reset every setting to its default');
    const settings = await first.client.call('settings.get');
    expect(settings.loadProblem).toMatchObject({ outcome: 'reset', backup });
    await stop(first.serve);

    const second = await startServe();
    await second.serve.waitForOutput('The web UI shows this problem', START_TIMEOUT_MS);
    const dismissed = await second.client.call('settings.dismissProblem');
    expect(dismissed.loadProblem).toBeUndefined();
    await stop(second.serve);

    const third = await startServe();
    // The process writes the problem with the address, so it has arrived by the first response.
    await third.client.call('settings.get');
    expect(third.serve.stdout).not.toContain('Settings problem');
    await stop(third.serve);
  });
});
