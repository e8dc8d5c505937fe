import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { CliProcesses, type RunningCli } from '../../main/headless/__testing__/cli-process.js';

const cli = new CliProcesses();
let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'owl-lock-cli-'));
});

afterEach(async () => {
  cli.killAll();
  await rm(dataDir, { recursive: true, force: true });
});

async function startServe(): Promise<RunningCli> {
  const serve = cli.start(['serve', '--no-mdns', '--data-dir', dataDir]);
  await serve.waitForOutput('moonraker-owl is running.', 20_000);
  return serve;
}

function lockedMessage(pid: number | undefined): string {
  return `moonraker-owl: Another moonraker-owl is already using ${dataDir} (pid ${pid}).`;
}

describe('data folder lock', () => {
  it('rejects a second serve on the same folder', { timeout: 60_000 }, async () => {
    const first = await startServe();

    const second = await cli.run(['serve', '--no-mdns', '--data-dir', dataDir], 20_000);

    expect(second.code).toBe(1);
    expect(second.stderr).toContain(lockedMessage(first.child.pid));
    expect(second.stderr).toContain('[data_dir_locked]');
    expect(first.child.exitCode).toBeNull();
  });

  it('rejects start on the folder a serve uses', { timeout: 60_000 }, async () => {
    const first = await startServe();
    const config = join(dataDir, 'owl.toml');
    await writeFile(
      config,
      `data_dir = "${dataDir}"\n[cloud]\nbase_url = "http://127.0.0.1:9"\nbroker_url = "mqtt://127.0.0.1:9"\n`,
    );

    const second = await cli.run(['start', '--config', config], 20_000);

    expect(second.code).toBe(1);
    expect(second.stderr).toContain(lockedMessage(first.child.pid));
  });

  it('frees the folder when the first stops', { timeout: 60_000 }, async () => {
    const first = await startServe();
    first.stop();
    const stopped = await first.exited(20_000);
    expect(stopped).toMatchObject({ code: 0, signal: null });

    const next = await startServe();

    expect(next.stdout).toContain('moonraker-owl is running.');
  });
});
