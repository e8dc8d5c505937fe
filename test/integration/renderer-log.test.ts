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
