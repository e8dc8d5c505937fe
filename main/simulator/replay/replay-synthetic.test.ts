import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../test/support/fake-clock.js';
import { httpJson } from '../__testing__/http-json.js';
import { RpcTestClient, statusChanges } from '../__testing__/rpc-test-client.js';
import { MoonrakerSimulator } from '../moonraker-simulator.js';

const START = Date.parse('2026-01-01T10:00:00.000Z');

function line(offsetMs: number, message: Record<string, unknown>): string {
  const captured = new Date(START + offsetMs).toISOString().replace('Z', '+00:00');
  return JSON.stringify({
    captured_at: captured,
    raw: JSON.stringify({ jsonrpc: '2.0', ...message }),
  });
}

function statusUpdate(offsetMs: number, changes: Record<string, unknown>): string {
  return line(offsetMs, { method: 'notify_status_update', params: [changes, offsetMs / 1000] });
}

/** A short session: a temperature change, a Klippy restart, and changes after it. */
const SESSION = [
  line(0, {
    result: {
      eventtime: 0,
      status: { extruder: { temperature: 20 }, print_stats: { state: 'standby' } },
    },
    id: 1,
  }),
  statusUpdate(100, { extruder: { temperature: 21 } }),
  line(200, { method: 'notify_klippy_disconnected' }),
  statusUpdate(300, { extruder: { temperature: 22 } }),
  line(400, { method: 'notify_klippy_ready' }),
  statusUpdate(500, { extruder: { temperature: 23 }, print_stats: { state: 'printing' } }),
  statusUpdate(600, { extruder: { temperature: 24 } }),
].join('\n');

describe('replay of a synthetic session', () => {
  let folder: string;
  let file: string;
  let clock: FakeClock;
  let simulator: MoonrakerSimulator | undefined;
  let client: RpcTestClient | undefined;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'owl-replay-'));
    file = join(folder, 'session.jsonl');
    await writeFile(file, SESSION);
    clock = new FakeClock();
  });

  afterEach(async () => {
    await client?.close();
    await simulator?.stop();
    await rm(folder, { recursive: true, force: true });
  });

  async function start(speed: number): Promise<{ url: string; rpc: RpcTestClient }> {
    simulator = new MoonrakerSimulator({ mode: { kind: 'replay', file, speed }, clock });
    const { url } = await simulator.start();
    client = await RpcTestClient.connect(url);
    return { url, rpc: client };
  }

  it('sends nothing before the client subscribes', async () => {
    await start(1);

    await clock.advanceAsync(1_000);
    await client?.request('server.info');

    expect(client?.notifications()).toEqual([]);
  });

  it('drops subscriptions on Klippy disconnect', async () => {
    const { rpc: subscribed } = await start(1);
    await subscribed.request('printer.objects.subscribe', { objects: { extruder: null } });

    await clock.advanceAsync(450);
    await subscribed.waitFor((message) => message.method === 'notify_klippy_ready');
    const answer = (await subscribed.request('printer.objects.subscribe', {
      objects: { extruder: null },
    })) as {
      status: Record<string, Record<string, unknown>>;
    };
    await clock.advanceAsync(200);
    await subscribed.waitFor(
      (message) => statusChanges(message)['extruder']?.['temperature'] === 24,
    );
    const temperatures = subscribed
      .notifications('notify_status_update')
      .map((message) => statusChanges(message)['extruder']?.['temperature']);

    expect(answer.status['extruder']).toEqual({ temperature: 22 });
    expect(temperatures).toEqual([21, 23, 24]);
  });

  it('answers queries from frames played so far', async () => {
    const { url } = await start(1);
    await client?.request('printer.objects.subscribe', { objects: { extruder: null } });

    await clock.advanceAsync(550);
    await client?.waitForCount('notify_klippy_ready', 1);
    const query = await httpJson(url, '/printer/objects/query?print_stats&extruder');

    expect(query.body['result']).toEqual({
      eventtime: 0.5,
      status: { print_stats: { state: 'printing' }, extruder: { temperature: 23 } },
    });
  });

  it('counts unsubscribed frames as skipped', async () => {
    await start(Infinity);
    const finished = new Promise((resolve) => simulator?.onReplayFinished(resolve));

    await client?.request('printer.objects.subscribe', { objects: { print_stats: null } });

    await expect(finished).resolves.toMatchObject({ clientId: 1, framesSent: 2, framesSkipped: 4 });
  });
});
