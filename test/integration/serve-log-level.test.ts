import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { CliProcesses, type RunningCli } from '../../main/headless/__testing__/cli-process.js';
import { BridgeRig } from '../support/bridge-rig.js';
import { connectClient } from '../support/fleet-service-rig.js';

const START_TIMEOUT_MS = 20_000;
const LOG_TIMEOUT_MS = 5_000;

const cli = new CliProcesses();
let rig: BridgeRig;
let dataDir: string;

beforeEach(async () => {
  rig = new BridgeRig();
  dataDir = await rig.tempDir('owl-serve-log-');
});

afterEach(async () => {
  cli.killAll();
  await rig.dispose();
});

/** Starts `serve` on this test's data folder and connects a control client as the web UI does. */
async function startServe(extra: readonly string[] = []) {
  const serve = cli.start(['serve', '--no-mdns', '--data-dir', dataDir, ...extra]);
  await serve.waitForOutput('moonraker-owl is running.', START_TIMEOUT_MS);
  const pageUrl = /Open (\S+)/.exec(serve.stdout)?.[1];
  if (!pageUrl) throw new Error(`serve printed no page address: ${serve.stdout}`);
  const client = await connectClient(rig, { pageUrl, origin: new URL(pageUrl).origin });
  return { serve, client };
}

interface LogLine {
  level: number;
  msg: string;
  method?: string;
  override?: string;
}

/** Stops the process and returns every JSON log line it wrote to stderr. */
async function stopAndReadLogs(serve: RunningCli): Promise<LogLine[]> {
  serve.stop();
  const outcome = await serve.exited(START_TIMEOUT_MS);
  expect(outcome.code).toBe(0);
  return outcome.stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

function finishedCalls(lines: readonly LogLine[]): (string | undefined)[] {
  return lines.filter((line) => line.msg === 'control call finished').map((line) => line.method);
}

describe('serve log level', () => {
  it('logs debug lines once the setting is debug', { timeout: 60_000 }, async () => {
    const { serve, client } = await startServe();
    await client.call('printers.list');

    await client.call('settings.update', { logLevel: 'debug' });
    await serve.waitForLog('Log level set to debug', LOG_TIMEOUT_MS);
    await client.call('printers.list');
    await serve.waitForLog('"method":"printers.list"', LOG_TIMEOUT_MS);

    const lines = await stopAndReadLogs(serve);
    expect(lines.find((line) => line.msg === 'Fleet started')?.level).toBe(30);
    // The first printers.list ran at info, so only the calls after the change left a debug line.
    expect(finishedCalls(lines)).toEqual(['settings.update', 'printers.list']);
  });

  it('applies the stored level at start', { timeout: 60_000 }, async () => {
    const first = await startServe();
    await first.client.call('settings.update', { logLevel: 'warn' });
    await stopAndReadLogs(first.serve);

    const second = await startServe();
    await second.client.call('printers.list');

    const lines = await stopAndReadLogs(second.serve);
    expect(lines.map((line) => line.msg)).not.toContain('Fleet started');
    expect(lines.filter((line) => line.level < 30)).toEqual([]);
  });

  it('keeps the --log-level override', { timeout: 60_000 }, async () => {
    const { serve, client } = await startServe(['--log-level', 'warn']);

    const settings = await client.call('settings.update', { logLevel: 'debug' });
    await client.call('printers.list');

    expect(settings.logLevel).toBe('debug');
    const lines = await stopAndReadLogs(serve);
    expect(lines.filter((line) => line.level < 40)).toEqual([]);
  });

  it('rejects an unknown --log-level', { timeout: 60_000 }, async () => {
    const outcome = await cli.run(
      ['serve', '--no-mdns', '--data-dir', dataDir, '--log-level', 'loud'],
      START_TIMEOUT_MS,
    );

    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain(
      'moonraker-owl: --log-level must be one of trace, debug, info, warn, error, got "loud"',
    );
    expect(outcome.stderr).toContain('[invalid_option]');
  });
});
