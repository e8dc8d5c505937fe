import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../test/support/fake-clock.js';
import { httpJson, queriedStatus } from './__testing__/http-json.js';
import { RpcTestClient, statusChanges } from './__testing__/rpc-test-client.js';
import {
  MoonrakerSimulator,
  scenarioNames,
  type MoonrakerSimulatorOptions,
} from './moonraker-simulator.js';

describe('MoonrakerSimulator', () => {
  let simulator: MoonrakerSimulator | undefined;
  const clients: RpcTestClient[] = [];
  let clock: FakeClock;

  beforeEach(() => {
    clock = new FakeClock();
  });

  async function startIdle(options: Partial<MoonrakerSimulatorOptions> = {}): Promise<string> {
    simulator = new MoonrakerSimulator({
      mode: { kind: 'scenario', name: 'idle' },
      clock,
      ...options,
    });
    return (await simulator.start()).url;
  }

  async function connect(url: string, headers?: Record<string, string>): Promise<RpcTestClient> {
    const client = await RpcTestClient.connect(url, headers);
    clients.push(client);
    return client;
  }

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await simulator?.stop();
    simulator = undefined;
  });

  describe('start', () => {
    it('listens on a free loopback port', async () => {
      const url = await startIdle();

      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(simulator?.url).toBe(url);
    });

    it('rejects an unknown scenario name', () => {
      expect(
        () => new MoonrakerSimulator({ mode: { kind: 'scenario', name: 'nope' as 'idle' } }),
      ).toThrow(
        `Invalid simulator option: unknown scenario "nope"; expected one of ${scenarioNames.join(', ')}`,
      );
    });

    it('rejects an infinite scenario speed', () => {
      const create = (): MoonrakerSimulator =>
        new MoonrakerSimulator({ mode: { kind: 'scenario', name: 'idle', speed: Infinity } });

      expect(create).toThrow(
        'Invalid simulator option: scenario speed must be a positive finite number, got Infinity',
      );
    });

    it('rejects a second start', async () => {
      await startIdle();

      await expect(simulator?.start()).rejects.toMatchObject({
        code: 'invalid_state',
        message: 'Cannot start a simulator that is running',
      });
    });

    it('rejects a missing recording with its error code', async () => {
      simulator = new MoonrakerSimulator({
        mode: { kind: 'replay', file: '/nonexistent/x.jsonl', speed: 1 },
      });

      await expect(simulator.start()).rejects.toMatchObject({ code: 'recording_unreadable' });
    });
  });

  describe('server.info', () => {
    it('reports the configured identity', async () => {
      const url = await startIdle({
        identity: { hostname: 'voron-2', moonrakerVersion: 'v0.9.9-test' },
      });
      const client = await connect(url);

      const http = await httpJson(url, '/server/info');
      const rpc = (await client.request('server.info')) as Record<string, unknown>;
      const printer = (await client.request('printer.info')) as Record<string, unknown>;

      expect(http.status).toBe(200);
      expect(http.body['result']).toMatchObject({
        klippy_connected: true,
        klippy_state: 'ready',
        moonraker_version: 'v0.9.9-test',
      });
      expect(rpc).toMatchObject({
        klippy_state: 'ready',
        websocket_count: 1,
        api_version_string: '1.5.0',
      });
      expect(printer).toMatchObject({
        hostname: 'voron-2',
        state: 'ready',
        state_message: 'Printer is ready',
      });
    });
  });

  describe('server.connection.identify', () => {
    it('identifies a connection only once', async () => {
      const client = await connect(await startIdle());
      const params = {
        client_name: 'test',
        version: '1.0',
        type: 'agent',
        url: 'https://example.com',
      };

      const first = (await client.request('server.connection.identify', params)) as {
        connection_id: number;
      };
      const second = await client.call('server.connection.identify', params);

      expect(first.connection_id).toBeGreaterThan(0);
      expect(second['error']).toEqual({ code: 400, message: 'Connection already identified' });
    });
  });

  describe('errors', () => {
    it('answers an unknown method with Method not found', async () => {
      const client = await connect(await startIdle());

      const answer = await client.call('printer.teleport');

      expect(answer['error']).toEqual({ code: -32601, message: 'Method not found' });
    });

    it('rejects text that is not JSON', async () => {
      const client = await connect(await startIdle());

      client.sendText('{not json');
      const answer = await client.waitFor((message) => 'error' in message);

      expect(answer).toEqual({
        jsonrpc: '2.0',
        error: { code: -32700, message: 'Parse error' },
        id: null,
      });
    });

    it('rejects a missing argument with 400', async () => {
      const url = await startIdle();

      const answer = await httpJson(url, '/server/files/metadata');

      expect(answer).toEqual({
        status: 400,
        body: { error: { code: 400, message: 'No data for argument: filename' } },
      });
    });

    it('rejects unknown paths and wrong methods', async () => {
      const url = await startIdle();

      const missing = await httpJson(url, '/printer/objects/subscribe', {
        method: 'POST',
        body: {},
      });
      const wrongMethod = await httpJson(url, '/printer/print/pause');

      expect(missing).toEqual({
        status: 404,
        body: { error: { code: 404, message: 'Not Found' } },
      });
      expect(wrongMethod).toEqual({
        status: 405,
        body: { error: { code: 405, message: 'Method Not Allowed' } },
      });
    });

    it('answers metadata of an unknown file with 404', async () => {
      const url = await startIdle();

      const answer = await httpJson(url, '/server/files/metadata?filename=nope.gcode');

      expect(answer.status).toBe(404);
      expect(answer.body['error']).toEqual({
        code: 404,
        message: 'Metadata not available for <nope.gcode>',
      });
    });
  });

  describe('server.files.metadata', () => {
    it('lists thumbnails with the sizes served', async () => {
      const url = await startIdle();
      const filename = 'boats/3DBenchy_0.15mm_PETG_1h2m.gcode';

      const answer = await httpJson(
        url,
        `/server/files/metadata?filename=${encodeURIComponent(filename)}`,
      );
      const result = answer.body['result'] as {
        thumbnails: { size: number; relative_path: string }[];
      };
      const sizes = await Promise.all(
        result.thumbnails.map(async (thumbnail) => {
          const path = `boats/${thumbnail.relative_path}`;
          const response = await fetch(`${url}/server/files/gcodes/${path}`);
          return (await response.arrayBuffer()).byteLength;
        }),
      );

      expect(result).toMatchObject({
        filename,
        estimated_time: 3_720,
        job_id: null,
        print_start_time: null,
      });
      expect(sizes).toEqual(result.thumbnails.map((thumbnail) => thumbnail.size));
    });

    it('rejects a thumbnail that does not exist with 404', async () => {
      const url = await startIdle();

      const answer = await httpJson(url, '/server/files/gcodes/.thumbs/missing-32x32.png');

      expect(answer).toEqual({ status: 404, body: { error: { code: 404, message: 'Not Found' } } });
    });
  });

  describe('JSON-RPC batches', () => {
    it('answers each request of a batch in one array', async () => {
      const client = await connect(await startIdle());
      const batch = [
        { jsonrpc: '2.0', method: 'server.info', id: 10 },
        { jsonrpc: '2.0', method: 'nope', id: 11 },
        { jsonrpc: '2.0', method: 'server.info' },
      ];

      client.sendText(JSON.stringify(batch));
      const answer = (await client.waitFor((message) => Array.isArray(message))) as unknown as {
        id: number;
        error?: unknown;
      }[];

      expect(answer.map((entry) => entry.id)).toEqual([10, 11]);
      expect(answer[1]?.error).toEqual({ code: -32601, message: 'Method not found' });
    });
  });

  describe('apiKey', () => {
    const apiKey = 'secret-key';

    it('rejects HTTP requests without the key with 401', async () => {
      const url = await startIdle({ apiKey });

      const rejected = await httpJson(url, '/server/info');
      const wrong = await httpJson(url, '/server/info', { headers: { 'X-Api-Key': 'other' } });
      const accepted = await httpJson(url, '/server/info', { headers: { 'X-Api-Key': apiKey } });

      expect(rejected).toEqual({
        status: 401,
        body: { error: { code: 401, message: 'Unauthorized' } },
      });
      expect(wrong.status).toBe(401);
      expect(accepted.status).toBe(200);
    });

    it('serves thumbnails without the key', async () => {
      const url = await startIdle({ apiKey });

      const response = await fetch(
        `${url}/server/files/gcodes/.thumbs/owl_cube_0.2mm_PLA_14m-32x32.png`,
      );

      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/png');
    });

    it('requires the key through identify', async () => {
      const client = await connect(await startIdle({ apiKey }));
      const identity = {
        client_name: 'test',
        version: '1.0',
        type: 'agent',
        url: 'https://example.com',
      };

      const before = await client.call('server.info');
      const wrongKey = await client.call('server.connection.identify', {
        ...identity,
        api_key: 'other',
      });
      await client.request('server.connection.identify', { ...identity, api_key: apiKey });
      const after = await client.call('server.info');

      expect(before['error']).toEqual({ code: 401, message: 'Unauthorized' });
      expect(wrongKey['error']).toEqual({ code: 401, message: 'Invalid API Key' });
      expect(after['result']).toMatchObject({ klippy_state: 'ready' });
    });

    it('accepts a websocket opened with the key header', async () => {
      const url = await startIdle({ apiKey });
      const client = await connect(url, { 'X-Api-Key': apiKey });

      const answer = await client.call('server.info');

      expect(answer['result']).toMatchObject({ klippy_state: 'ready' });
    });
  });

  describe('printer.objects.query', () => {
    it('takes objects and fields from the query string', async () => {
      const url = await startIdle();

      const status = queriedStatus(
        await httpJson(url, '/printer/objects/query?print_stats&webhooks=state&nothing'),
      );

      expect(Object.keys(status).sort()).toEqual(['print_stats', 'webhooks']);
      expect(status['webhooks']).toEqual({ state: 'ready' });
      expect(status['print_stats']?.['state']).toBe('standby');
    });

    it('reads a POST body and lists heaters', async () => {
      const url = await startIdle();

      const status = queriedStatus(
        await httpJson(url, '/printer/objects/query', {
          method: 'POST',
          body: { objects: { heaters: null } },
        }),
      );

      expect(status['heaters']).toEqual({
        available_heaters: ['heater_bed', 'extruder'],
        available_sensors: ['heater_bed', 'extruder', 'temperature_sensor chamber'],
        available_monitors: [],
      });
    });
  });

  describe('printer.objects.subscribe', () => {
    it('filters updates per client', async () => {
      const url = await startIdle();
      const temperatures = await connect(url);
      const fans = await connect(url);
      await temperatures.request('printer.objects.subscribe', {
        objects: { extruder: ['target'] },
      });
      await fans.request('printer.objects.subscribe', { objects: { fan: null } });

      await temperatures.request('printer.gcode.script', { script: 'M104 S200\nM106 S255' });
      await clock.advanceAsync(250);
      const temperatureUpdate = await temperatures.waitFor(
        (message) => message.method === 'notify_status_update',
      );
      const fanUpdate = await fans.waitFor((message) => message.method === 'notify_status_update');

      expect(statusChanges(temperatureUpdate)).toEqual({ extruder: { target: 200 } });
      expect(statusChanges(fanUpdate)).toEqual({ fan: { speed: 1 } });
    });

    it('replaces the previous subscription', async () => {
      const client = await connect(await startIdle());
      await client.request('printer.objects.subscribe', { objects: { extruder: ['target'] } });

      const answer = (await client.request('printer.objects.subscribe', {
        objects: { fan: ['speed'] },
      })) as {
        status: Record<string, unknown>;
      };
      await client.request('printer.gcode.script', { script: 'M104 S180\nM106 S0\nM106 S51' });
      await clock.advanceAsync(250);
      const update = await client.waitFor((message) => message.method === 'notify_status_update');

      expect(answer.status).toEqual({ fan: { speed: 0 } });
      expect(statusChanges(update)).toEqual({ fan: { speed: 0.2 } });
    });

    it('sends nothing when no field changed', async () => {
      const client = await connect(await startIdle({ random: () => 0.5 }));
      await client.request('printer.objects.subscribe', { objects: { fan: null, webhooks: null } });

      await clock.advanceAsync(1_000);
      await client.request('server.info');

      expect(client.notifications('notify_status_update')).toEqual([]);
    });
  });

  describe('onRequest', () => {
    it('reports websocket and HTTP requests in order', async () => {
      const url = await startIdle();
      const received: string[] = [];
      simulator?.onRequest((request) => received.push(`${request.transport} ${request.method}`));
      const client = await connect(url);

      await client.call('printer.teleport');
      await httpJson(url, '/printer/print/pause', { method: 'POST' });

      expect(received).toEqual(['websocket printer.teleport', 'http printer.print.pause']);
    });

    it('stops reporting once disposed', async () => {
      const url = await startIdle();
      const received: string[] = [];
      const subscription = simulator?.onRequest((request) => received.push(request.method));

      subscription?.dispose();
      await httpJson(url, '/server/info');

      expect(received).toEqual([]);
    });
  });

  describe('stop', () => {
    it('leaves no socket or timer behind', async () => {
      const url = await startIdle({ mode: { kind: 'scenario', name: 'printing', speed: 5 } });
      const client = await connect(url);
      await client.request('printer.objects.subscribe', { objects: { extruder: null } });
      await clock.advanceAsync(1_000);

      await simulator?.stop();
      await client.whenClosed();

      expect(clock.pendingTimers).toBe(0);
      expect(client.isClosed).toBe(true);
      await expect(fetch(`${url}/server/info`)).rejects.toThrow();
    });

    it('can be called twice', async () => {
      await startIdle();

      await simulator?.stop();
      await simulator?.stop();

      expect(simulator?.url).toBeUndefined();
    });
  });
});
