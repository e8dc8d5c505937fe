import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { LocalCloud } from '../../main/local-cloud/local-cloud.js';
import { SETTINGS_FILE_NAME } from '../../main/service/settings/settings-backend.js';
import { BridgeRig } from '../support/bridge-rig.js';
import {
  controlFailure,
  startFleetService,
  useLocalCloud,
  type RunningFleetService,
} from '../support/fleet-service-rig.js';

let rig: BridgeRig;
let cloud: LocalCloud;

beforeEach(async () => {
  rig = new BridgeRig();
  cloud = await rig.cloud();
});

afterEach(async () => {
  await rig.dispose();
});

async function startService(): Promise<RunningFleetService> {
  const running = await startFleetService(rig);
  await useLocalCloud(running, cloud);
  return running;
}

async function simulatorPort(): Promise<number> {
  const { url } = await rig.simulator({ mode: { kind: 'scenario', name: 'idle' } });
  return Number(new URL(url).port);
}

function loggedMessages(running: RunningFleetService): string[] {
  return running.logBuffer
    .recent()
    .map((line) => (JSON.parse(line.raw) as { msg?: string }).msg ?? '');
}

describe('printers.add', () => {
  it('rejects one Moonraker at a second address', async () => {
    const running = await startService();
    const port = await simulatorPort();
    const first = await running.client.call('printers.add', {
      name: 'Voron',
      host: '127.0.0.1',
      port,
    });

    const error = await controlFailure(
      running.client.call('printers.add', { host: 'localhost', port }),
    );

    expect(error.code).toBe('already_exists');
    expect(error.message).toBe(
      `This Moonraker is already in the fleet as Voron (at http://127.0.0.1:${port})`,
    );
    expect(error.details).toMatchObject({ printerId: first.id });
    expect(await running.client.call('printers.list')).toHaveLength(1);
  });

  it('adds a second address with force', async () => {
    const running = await startService();
    const port = await simulatorPort();
    await running.client.call('printers.add', { host: '127.0.0.1', port });

    const second = await running.client.call('printers.add', {
      host: 'localhost',
      port,
      force: true,
    });

    expect(second.moonrakerUrl).toBe(`http://localhost:${port}`);
    expect(await running.client.call('printers.list')).toHaveLength(2);
  });

  it('splits the port off the host', async () => {
    const running = await startService();
    const port = await simulatorPort();

    const summary = await running.client.call('printers.add', { host: `127.0.0.1:${port}` });

    expect(summary.moonrakerUrl).toBe(`http://127.0.0.1:${port}`);
    expect(summary.name).toBe('owl-simulator');
  });

  it('rejects junk in the host as invalid_arguments', async () => {
    const running = await startService();

    const error = await controlFailure(
      running.client.call('printers.add', { host: '1:2:3', force: true }),
    );

    expect(error.code).toBe('invalid_arguments');
    expect(error.message).toBe(
      'Invalid host "1:2:3". Enter a host name, an IPv4 or IPv6 address, or one of them with a ' +
        'port, such as printer.local, 192.168.1.20:7125 or [fd00::20]:7125.',
    );
  });
});

describe('discovery.probe', () => {
  it('splits the port off the host', async () => {
    const running = await startService();
    const port = await simulatorPort();

    const found = await running.client.call('discovery.probe', { host: `127.0.0.1:${port}` });

    expect(found).toMatchObject({ host: '127.0.0.1', port, state: 'confirmed' });
  });

  it('names the MQTT port as not Moonraker', async () => {
    const running = await startService();
    const port = Number(new URL(cloud.endpoints.mqttUrl).port);

    const error = await controlFailure(
      running.client.call('discovery.probe', { host: '127.0.0.1', port }),
    );

    expect(error.code).toBe('not_moonraker');
    expect(error.message).toBe(
      `127.0.0.1:${port} answered, but not with HTTP. Is this the Moonraker port? ` +
        'Moonraker listens on 7125 by default.',
    );
  });

  it('rejects a bracketed host that is not IPv6', async () => {
    const running = await startService();

    const error = await controlFailure(
      running.client.call('discovery.probe', { host: '[printer]:7125' }),
    );

    expect(error.code).toBe('invalid_arguments');
    expect(error.message).toMatch(/^Invalid host "\[printer\]:7125"\. Enter a host name/);
  });
});

describe('device id without credentials', () => {
  async function startWithStaleDeviceId(): Promise<RunningFleetService> {
    const dataDir = await rig.tempDir('owl-stale-device-');
    const port = await simulatorPort();
    const settings = {
      version: 1,
      cloud: {
        baseUrl: cloud.endpoints.httpUrl,
        brokerUrl: cloud.endpoints.mqttUrl,
        webUrl: cloud.endpoints.httpUrl,
      },
      printers: [
        {
          id: 'printer-1',
          name: 'Voron',
          moonrakerUrl: `http://127.0.0.1:${port}`,
          deviceId: 'device-without-credentials',
          printerId: 'cloud-printer-1',
        },
      ],
    };
    await writeFile(join(dataDir, SETTINGS_FILE_NAME), JSON.stringify(settings), { mode: 0o600 });
    return startFleetService(rig, { dataDir });
  }

  it('counts the printer as unlinked', async () => {
    const running = await startWithStaleDeviceId();

    const [summary] = await running.client.call('printers.list');

    expect(summary?.link).toBe('unlinked');
    const warnings = loggedMessages(running).filter(
      (message) => message === 'Printer Voron has a device id but no credentials; link it again',
    );
    expect(warnings).toHaveLength(1);
  });

  it('links the printer with a code', async () => {
    const running = await startWithStaleDeviceId();
    const staleFolder = join(running.dataDir, 'devices', 'device-without-credentials');
    await mkdir(join(staleFolder, 'outbox'), { recursive: true });
    const { code } = await cloud.operator().mintLinkCode();

    const summary = await running.client.call('link.withCode', { printerId: 'printer-1', code });

    expect(summary.link).toBe('linked');
    await expect(stat(staleFolder)).rejects.toMatchObject({ code: 'ENOENT' });
    const linkedLines = loggedMessages(running).filter((message) =>
      /printer linked/i.test(message),
    );
    expect(linkedLines).toHaveLength(1);
  });
});

describe('diagnostics.export', () => {
  it('rejects a relative path', async () => {
    const running = await startService();

    const error = await controlFailure(
      running.client.call('diagnostics.export', { path: 'rel.zip' }),
    );

    expect(error.code).toBe('invalid_arguments');
    expect(error.message).toBe('The diagnostics path rel.zip is not absolute; enter a full path');
  });

  it('rejects a folder that does not exist without creating it', async () => {
    const running = await startService();
    const missing = join(running.dataDir, 'nonexistent', 'dir');

    const error = await controlFailure(
      running.client.call('diagnostics.export', { path: join(missing, 'x.zip') }),
    );

    expect(error.code).toBe('invalid_arguments');
    expect(error.message).toBe(
      `The folder ${missing} does not exist; create it first or choose another folder`,
    );
    await expect(stat(join(running.dataDir, 'nonexistent'))).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });

  it('passes a write failure through with its message', async () => {
    const running = await startService();
    // 251 characters fit a file name, but not with the temporary file's 17-character suffix.
    const path = join(running.dataDir, `${'b'.repeat(247)}.zip`);

    const error = await controlFailure(running.client.call('diagnostics.export', { path }));

    expect(error.code).toBe('diagnostics_write_failed');
    expect(error.message).toMatch(
      new RegExp(`^Failed to write the diagnostics bundle to ${path}: .*; choose a folder`),
    );
  });
});
