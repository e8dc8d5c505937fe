import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { strFromU8, unzipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { ControlRig } from '../../main/headless/control-server/__testing__/control-rig.js';
import { BridgeRig } from '../support/bridge-rig.js';
import { startFleetService, type RunningFleetService } from '../support/fleet-service-rig.js';

let rig: BridgeRig;
let controlRig: ControlRig;
let running: RunningFleetService;

beforeEach(async () => {
  rig = new BridgeRig();
  controlRig = new ControlRig();
  running = await startFleetService(rig);
});

afterEach(async () => {
  await controlRig.dispose();
  await rig.dispose();
});

/** Returns the service's log lines that came from the UI. */
function rendererLines(): Record<string, unknown>[] {
  return running.logBuffer
    .recent()
    .map((line) => JSON.parse(line.raw) as Record<string, unknown>)
    .filter((record) => record['component'] === 'renderer');
}

describe('log.write over the control socket', () => {
  it('writes a UI error to the service log', async () => {
    const result = await running.client.call('log.write', {
      level: 'error',
      message: 'The UI failed to render: TypeError: x is undefined',
    });

    expect(result).toEqual({ logged: true });
    const lines = rendererLines();
    expect(lines).toHaveLength(1);
    expect(lines[0]?.['level']).toBe(50);
    expect(lines[0]?.['msg']).toBe('The UI failed to render: TypeError: x is undefined');
  });

  it('drops a flood of lines from a page', async () => {
    const results = [];
    for (let index = 0; index < 100; index += 1) {
      results.push(
        await running.client.call('log.write', { level: 'error', message: `loop ${index}` }),
      );
    }

    expect(results.filter((result) => result.logged)).toHaveLength(30);
    expect(rendererLines()).toHaveLength(30);
  });

  it('rejects a message over 4000 characters', async () => {
    // A raw frame, because the client checks the arguments before sending them.
    const socket = await controlRig.connectRaw(running.endpoint, { token: running.endpoint.token });
    socket.send({
      id: 1,
      method: 'log.write',
      params: { level: 'error', message: 'x'.repeat(4001) },
    });

    let response: { id?: number; error?: { code: string } };
    do {
      response = (await socket.next()) as { id?: number; error?: { code: string } };
    } while (response.id !== 1);

    expect(response.error?.code).toBe('invalid_arguments');
    expect(rendererLines()).toEqual([]);
  });
});

describe('log.write redaction', () => {
  it('removes every form of secret from the log and the bundle', async () => {
    const { url } = await rig.simulator({ mode: { kind: 'scenario', name: 'idle' } });
    const port = Number(new URL(url).port);
    const printer = await running.client.call('printers.add', {
      name: 'Voron',
      host: '127.0.0.1',
      port,
    });
    const { state } = await running.client.call('link.start', { printerIds: [printer.id] });
    const token = running.endpoint.token;
    const forms = [
      `raw token ${token} in text`,
      `quoted address "http://127.0.0.1:1/control?x=${token}"`,
      `page http://127.0.0.1:1/?token=abcdef123456 failed`,
      `page http://127.0.0.1:1/#token=abcdef123456 failed`,
      'env TOKEN=abcdef123456 set',
      'header Authorization: Bearer abcdef123456.xyz sent',
      'callback owl://link?code=AB12CD&state=s3cr3tstate1 opened',
      `pending state ${state} quoted`,
    ];
    for (const message of forms) {
      await running.client.call('log.write', { level: 'warn', message });
    }

    const logged = rendererLines().map((line) => String(line['msg']));
    const target = join(await rig.tempDir('owl-bundle-'), 'bundle.zip');
    await running.client.call('diagnostics.export', { path: target });
    const files = unzipSync(new Uint8Array(await readFile(target)));
    const bundleLogs = strFromU8(files['logs.txt'] ?? new Uint8Array());

    expect(logged).toHaveLength(forms.length);
    for (const text of [logged.join('\n'), bundleLogs]) {
      expect(text).not.toContain(token);
      expect(text).not.toContain('abcdef123456');
      expect(text).not.toContain('AB12CD');
      expect(text).not.toContain('s3cr3tstate1');
      expect(text).not.toContain(state);
    }
    expect(logged).toEqual([
      'raw token [redacted] in text',
      'quoted address "http://127.0.0.1:1/control?x=[redacted]"',
      'page http://127.0.0.1:1/?token=[redacted] failed',
      'page http://127.0.0.1:1/#token=[redacted] failed',
      'env TOKEN=[redacted] set',
      'header Authorization: Bearer [redacted] sent',
      'callback owl://link?code=[redacted]&state=[redacted] opened',
      'pending state [redacted] quoted',
    ]);
  });
});
