import { createServer, type AddressInfo } from 'node:net';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { FakeClock } from '../../test/support/fake-clock.js';
import { CodedError } from '../support/coded-error.js';
import { silentLogger } from '../support/logger.js';
import {
  DEFAULT_OBJECTS,
  errorReply,
  FakeMoonraker,
  jsonReply,
  nextEvent,
  serverInfo,
  type HttpReply,
  type RecordedCall,
  type RecordedRequest,
} from './__testing__/fake-moonraker.js';
import {
  captureLogger,
  InputRecorder,
  isAvailability,
  isNotification,
  isSnapshot,
} from './__testing__/recorders.js';
import type { ConnectionState, StateChange } from './connection-state.js';
import { sendHttpRequest, type HttpRequestFunction } from '../support/http-request.js';
import { MoonrakerClient, type MoonrakerClientOptions } from './moonraker-client.js';
import { buildSubscriptionManifest } from './subscription-manifest.js';

const API_KEY = 'client-test-api-key';

let moonraker: FakeMoonraker;
let clock: FakeClock;
let recorder: InputRecorder;
const clients: MoonrakerClient[] = [];

beforeEach(async () => {
  moonraker = await FakeMoonraker.start();
  clock = new FakeClock();
  recorder = new InputRecorder();
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.dispose();
  await moonraker.close();
});

function createClient(options: Partial<MoonrakerClientOptions> = {}): MoonrakerClient {
  const client = new MoonrakerClient({
    url: moonraker.url,
    clock,
    logger: silentLogger,
    random: () => 0.5,
    ...options,
  });
  client.onInput(recorder.listener);
  clients.push(client);
  return client;
}

async function readyClient(
  options: Partial<MoonrakerClientOptions> = {},
): Promise<MoonrakerClient> {
  const client = createClient(options);
  client.start();
  await recorder.next(isSnapshot('subscribe'));
  return client;
}

/** Wraps the HTTP transport to record each URL synchronously, before the request goes out. */
function spyingRequest(): { request: HttpRequestFunction; urls: string[] } {
  const urls: string[] = [];
  const request: HttpRequestFunction = (options) => {
    urls.push(options.url);
    return sendHttpRequest(options);
  };
  return { request, urls };
}

function stateReached(client: MoonrakerClient, state: ConnectionState): Promise<StateChange> {
  return new Promise((resolve) => {
    const subscription = client.onStateChange((change) => {
      if (change.state !== state) return;
      subscription.dispose();
      resolve(change);
    });
  });
}

function deferred<T>(): { promise: Promise<T>; resolve(value: T): void } {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

async function failure(promise: Promise<unknown>): Promise<CodedError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CodedError);
  return error as CodedError;
}

async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

describe('MoonrakerClient', () => {
  describe('start', () => {
    it('probes, subscribes, and reports availability before the snapshot', async () => {
      const client = await readyClient();

      expect(recorder.kinds()).toEqual(['availability:true', 'snapshot:subscribe']);
      expect(moonraker.calls.map((call) => call.method)).toEqual([
        'server.info',
        'printer.objects.list',
        'printer.objects.query',
        'printer.objects.subscribe',
      ]);
      expect(client.state).toBe('ready');
    });

    it('subscribes the manifest built from the objects list and heaters', async () => {
      const client = await readyClient();

      const expected = buildSubscriptionManifest({
        objects: DEFAULT_OBJECTS,
        heaters: {
          availableHeaters: ['extruder', 'heater_bed'],
          availableSensors: ['extruder', 'heater_bed'],
        },
      });
      const subscribe = moonraker.callsOf('printer.objects.subscribe')[0];
      expect(subscribe?.params).toEqual({ objects: expected.objects });
      expect(client.capabilities?.macros).toEqual(['PAUSE']);
      expect(client.capabilities?.heaters).toEqual(['extruder', 'heater_bed']);
      expect(client.capabilities?.serverInfo.moonraker_version).toBe('v0.9.3-test');
    });

    it('hands the subscribe result on as the snapshot', async () => {
      await readyClient();

      const snapshot = recorder.inputs[1];
      expect(snapshot).toMatchObject({
        kind: 'snapshot',
        source: 'subscribe',
        status: { print_stats: { state: 'standby' }, webhooks: { state: 'ready' } },
        receivedAt: clock.now(),
      });
    });

    it('moves through connecting and probing to ready', async () => {
      const client = createClient();
      const states: ConnectionState[] = [];
      client.onStateChange((change) => states.push(change.state));

      client.start();
      await recorder.next(isSnapshot('subscribe'));

      expect(states).toEqual(['connecting', 'probing', 'ready']);
      expect(client.lastFailure).toBeNull();
    });

    it('sends X-Api-Key on the websocket and on HTTP', async () => {
      const client = await readyClient({ apiKey: API_KEY });

      await client.printAction('pause');

      expect(moonraker.upgrades[0]?.['x-api-key']).toBe(API_KEY);
      expect(moonraker.requestsTo('/printer/print/pause')[0]?.headers['x-api-key']).toBe(API_KEY);
    });

    it('rejects a URL that is not http or https', () => {
      const attempt = (): MoonrakerClient => createClient({ url: 'ftp://printer.local' });

      expect(attempt).toThrow(CodedError);
      expect(attempt).toThrow('Moonraker URL must start with http:// or https://.');
    });
  });

  describe('reconnect', () => {
    it('resubscribes after the server drops the socket', async () => {
      const client = await readyClient();
      const backoff = stateReached(client, 'backoff');

      moonraker.dropSockets();
      const change = await backoff;
      expect(change.retryInMs).toBe(500);
      clock.advance(500);
      await recorder.next(isSnapshot('subscribe'));

      expect(recorder.kinds()).toEqual([
        'availability:true',
        'snapshot:subscribe',
        'availability:false',
        'availability:true',
        'snapshot:subscribe',
      ]);
      expect(moonraker.callsOf('printer.objects.subscribe')).toHaveLength(2);
      expect(client.state).toBe('ready');
    });

    it('reports the loss with its reason', async () => {
      const client = await readyClient();

      moonraker.dropSockets();
      const lost = await recorder.next(isAvailability(false));

      const url = `${moonraker.url.replace('http:', 'ws:')}/websocket`;
      expect(lost).toMatchObject({ detail: `Moonraker closed the websocket at ${url} (1006).` });
      expect(client.lastFailure).toMatchObject({ code: 'closed', at: clock.now() });
    });

    it('keeps retrying with code unauthorized when the probe gets 401', async () => {
      moonraker.rpc.set('server.info', () => ({ error: { code: 401, message: 'Unauthorized' } }));
      const client = createClient();
      const backoff = stateReached(client, 'backoff');

      client.start();
      await backoff;
      expect(client.lastFailure?.code).toBe('unauthorized');
      expect(client.lastFailure?.message).toContain('not in trusted_clients');
      const second = nextEvent<RecordedCall>(moonraker.events, 'call');
      clock.advance(500);
      await second;

      expect(moonraker.callsOf('server.info')).toHaveLength(2);
      expect(recorder.kinds()).toEqual(['availability:false']);
    });

    it('reports a rejected websocket upgrade as unauthorized', async () => {
      moonraker.rejectUpgradeWith = 401;
      const client = createClient({ apiKey: API_KEY });
      const backoff = stateReached(client, 'backoff');

      client.start();
      await backoff;

      expect(client.lastFailure?.code).toBe('unauthorized');
      expect(client.lastFailure?.message).toContain('Moonraker rejected the API key (401)');
    });

    it('waits full-jitter delays that double up to 30 s', async () => {
      const client = createClient({ url: await closedPortUrl(), random: () => 0.999_999 });
      const delays: number[] = [];

      client.start();
      for (let attempt = 0; attempt < 7; attempt += 1) {
        const change = await stateReached(client, 'backoff');
        delays.push(change.retryInMs ?? -1);
        clock.advance((change.retryInMs ?? 0) - 1);
        expect(client.state).toBe('backoff');
        clock.advance(1);
        expect(client.state).toBe('connecting');
      }

      expect(delays).toEqual([999, 1_999, 3_999, 7_999, 15_999, 29_999, 29_999]);
      expect(client.lastFailure?.code).toBe('unreachable');
    });

    it('retries at once when the random source returns zero', async () => {
      const client = createClient({ url: await closedPortUrl(), random: () => 0 });

      client.start();
      const change = await stateReached(client, 'backoff');

      expect(change.retryInMs).toBe(0);
    });

    it('starts the backoff again after a successful probe', async () => {
      moonraker.rejectUpgradeWith = 503;
      const client = createClient({ random: () => 0.999_999 });
      client.start();
      for (const expected of [999, 1_999, 3_999]) {
        const change = await stateReached(client, 'backoff');
        expect(change.retryInMs).toBe(expected);
        if (expected === 3_999) moonraker.rejectUpgradeWith = null;
        clock.advance(expected);
      }
      await recorder.next(isSnapshot('subscribe'));

      const backoff = stateReached(client, 'backoff');
      moonraker.dropSockets();

      expect((await backoff).retryInMs).toBe(999);
    });
  });

  describe('klippy ready', () => {
    it('probes and subscribes again, then queries after 500 ms of quiet', async () => {
      const spy = spyingRequest();
      const client = await readyClient({ request: spy.request });
      const queried = nextEvent<RecordedRequest>(moonraker.events, 'request');

      moonraker.notify('notify_klippy_ready');
      moonraker.notify('notify_klippy_ready');
      await recorder.next(isSnapshot('subscribe'));
      clock.advance(499);
      const beforeDebounce = spy.urls.length;
      clock.advance(1);
      const afterDebounce = spy.urls.length;
      const request = await queried;
      await recorder.next(isSnapshot('query'));

      expect(beforeDebounce).toBe(0);
      expect(afterDebounce).toBe(1);
      expect(JSON.parse(request.body)).toEqual({ objects: { print_stats: null, webhooks: null } });
      expect(moonraker.requestsTo('/printer/objects/query')).toHaveLength(1);
      expect(moonraker.callsOf('printer.objects.list').length).toBeGreaterThanOrEqual(2);
      expect(client.state).toBe('ready');
    });

    it('treats notify_klippy_state ready like notify_klippy_ready', async () => {
      await readyClient();

      moonraker.notify('notify_klippy_state', ['ready']);
      await recorder.next(isNotification('notify_klippy_state'));
      clock.advance(500);
      await recorder.next(isSnapshot('query'));

      expect(moonraker.requestsTo('/printer/objects/query')).toHaveLength(1);
    });

    it('subscribes once Klippy becomes ready after a probe without it', async () => {
      moonraker.rpc.set('server.info', () => ({ result: serverInfo('startup') }));
      moonraker.rpc.set('printer.objects.list', () => ({
        error: { code: 503, message: 'Klippy Disconnected' },
      }));
      const client = createClient();
      client.start();
      const available = await recorder.next(isAvailability(true));
      expect(available).toMatchObject({ detail: 'Moonraker is connected, but Klippy is startup' });
      expect(client.state).toBe('ready');
      expect(client.capabilities?.klippyAvailable).toBe(false);
      expect(moonraker.callsOf('printer.objects.subscribe')).toHaveLength(0);

      moonraker.rpc.set('server.info', () => ({ result: serverInfo('ready') }));
      moonraker.rpc.set('printer.objects.list', () => ({ result: { objects: moonraker.objects } }));
      moonraker.notify('notify_klippy_ready');
      await recorder.next(isSnapshot('subscribe'));

      expect(client.capabilities?.klippyAvailable).toBe(true);
      expect(recorder.kinds()).toEqual([
        'availability:true',
        'notification:notify_klippy_ready',
        'snapshot:subscribe',
      ]);
    });
  });

  describe('klippy ready during the probe', () => {
    it('probes again once the first probe is done', async () => {
      let listed = 0;
      moonraker.rpc.set('printer.objects.list', (call) => {
        listed += 1;
        if (listed > 1) return { result: { objects: moonraker.objects } };
        call.socket.send(JSON.stringify({ jsonrpc: '2.0', method: 'notify_klippy_ready' }));
        return { error: { code: 503, message: 'Klippy Disconnected' } };
      });
      const client = createClient();

      client.start();
      await recorder.next(isSnapshot('subscribe'));

      expect(listed).toBe(2);
      expect(client.capabilities?.klippyAvailable).toBe(true);
    });
  });

  describe('history changes', () => {
    it('queries print_stats right after a job is added, in arrival order', async () => {
      await readyClient();
      const reply = deferred<HttpReply>();
      moonraker.http.set('POST /printer/objects/query', () => reply.promise);
      const queried = nextEvent<RecordedRequest>(moonraker.events, 'request');

      moonraker.notify('notify_history_changed', [{ action: 'added', job: { job_id: '0002E3' } }]);
      const request = await queried;
      moonraker.notify('notify_status_update', [{ print_stats: { state: 'printing' } }, 2]);
      await recorder.next(isNotification('notify_status_update'));
      reply.resolve(jsonReply({ status: { print_stats: { state: 'printing' } } }));
      const snapshot = await recorder.next(isSnapshot('query'));

      expect(JSON.parse(request.body)).toEqual({ objects: { print_stats: null } });
      expect(snapshot).toMatchObject({ status: { print_stats: { state: 'printing' } } });
      expect(recorder.kinds().slice(2)).toEqual([
        'notification:notify_history_changed',
        'notification:notify_status_update',
        'snapshot:query',
      ]);
    });

    it('queries print_stats when a job finishes', async () => {
      await readyClient();

      moonraker.notify('notify_history_changed', [
        { action: 'finished', job: { status: 'cancelled' } },
      ]);
      await recorder.next(isSnapshot('query'));

      expect(moonraker.requestsTo('/printer/objects/query')).toHaveLength(1);
    });

    it('does not query for other history actions', async () => {
      const spy = spyingRequest();
      await readyClient({ request: spy.request });

      moonraker.notify('notify_history_changed', [{ action: 'deleted', job: {} }]);
      moonraker.notify('notify_marker', []);
      await recorder.next(isNotification('notify_marker'));

      expect(spy.urls).toEqual([]);
    });
  });

  describe('print actions', () => {
    it.each(['pause', 'resume', 'cancel'] as const)(
      'posts %s and queries print_stats',
      async (action) => {
        const client = await readyClient();

        await client.printAction(action);
        await recorder.next(isSnapshot('query'));

        expect(moonraker.requestsTo(`/printer/print/${action}`)).toHaveLength(1);
        const query = moonraker.requestsTo('/printer/objects/query')[0];
        expect(JSON.parse(query?.body ?? '')).toEqual({ objects: { print_stats: null } });
      },
    );

    it('does not query after a failed action', async () => {
      const client = await readyClient();
      moonraker.http.set('POST /printer/print/resume', () =>
        errorReply(400, 'Print is not paused'),
      );

      const error = await failure(client.printAction('resume'));

      expect(error.code).toBe('http_error');
      expect(error.message).toBe(
        'Moonraker returned HTTP 400 for POST /printer/print/resume: Print is not paused',
      );
      expect(moonraker.requestsTo('/printer/objects/query')).toHaveLength(0);
    });

    it('posts emergency stop, firmware restart and print start', async () => {
      const client = createClient();

      await client.emergencyStop();
      await client.firmwareRestart();
      await client.startPrint('jobs/benchy 1.gcode');

      expect(moonraker.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
        'POST /printer/emergency_stop',
        'POST /printer/firmware_restart',
        'POST /printer/print/start',
      ]);
      expect(moonraker.requests[2]?.rawQuery).toBe('filename=jobs%2Fbenchy%201.gcode');
    });

    it('times out an action after 10 s', async () => {
      const client = createClient();
      moonraker.http.set('POST /printer/emergency_stop', () => 'hang');
      const arrived = nextEvent<RecordedRequest>(moonraker.events, 'request');
      const pending = failure(client.emergencyStop());
      await arrived;

      clock.advance(10_000);
      const error = await pending;

      expect(error.code).toBe('timeout');
      expect(error.message).toBe(
        'Moonraker did not respond to POST /printer/emergency_stop within 10000 ms.',
      );
    });
  });

  describe('gcode', () => {
    it('runs a script and waits for it', async () => {
      const client = createClient();

      await client.runGcode('G28', { timeoutMs: 60_000 });

      expect(JSON.parse(moonraker.requestsTo('/printer/gcode/script')[0]?.body ?? '')).toEqual({
        script: 'G28',
      });
    });

    it('resolves after the 5 s send window', async () => {
      const log = captureLogger();
      const client = createClient({ logger: log.logger });
      moonraker.http.set('POST /printer/gcode/script', () => 'hang');
      const arrived = nextEvent<RecordedRequest>(moonraker.events, 'request');
      const sent = client.sendGcodeNoWait('EXCLUDE_OBJECT NAME=part_1');
      await arrived;

      clock.advance(5_000);
      await sent;
      const logged = log.next('Background request failed');
      clock.advance(5_000);
      const line = await logged;

      expect((line['err'] as { code?: string } | undefined)?.code).toBe('timeout');
      expect(line['request']).toBe('POST /printer/gcode/script');
    });

    it('rejects a script sent without waiting when it fails at once', async () => {
      const client = createClient();
      moonraker.http.set('POST /printer/gcode/script', () => errorReply(400, 'Unknown command'));

      const error = await failure(client.sendGcodeNoWait('BOGUS'));

      expect(error.code).toBe('http_error');
      expect(error.message).toBe(
        'Moonraker returned HTTP 400 for POST /printer/gcode/script: Unknown command',
      );
    });
  });

  describe('queries and files', () => {
    it('queries objects over HTTP', async () => {
      const client = createClient();

      const status = await client.queryObjects({ extruder: ['temperature'] });

      expect(status).toEqual({ extruder: { temperature: 21.5, target: 0 } });
    });

    it('reads metadata with a fully encoded file name', async () => {
      const client = createClient();
      moonraker.http.set('GET /server/files/metadata', () => jsonReply({ estimated_time: 431 }));

      const metadata = await client.fileMetadata("做(1)'s.gcode");

      expect(metadata).toEqual({ estimated_time: 431 });
      expect(moonraker.requests[0]?.rawQuery).toBe('filename=%E5%81%9A%281%29%27s.gcode');
    });

    it('returns null metadata for a missing file', async () => {
      const client = createClient();
      moonraker.http.set('GET /server/files/metadata', () => errorReply(404, 'Not found'));

      expect(await client.fileMetadata('missing.gcode')).toBeNull();
    });

    it('fetches a thumbnail keeping the path separators', async () => {
      const client = createClient();
      const path = '/server/files/gcodes/sub%20dir/.thumbs/part-300x300.png';
      moonraker.http.set(`GET ${path}`, () => ({
        status: 200,
        body: 'PNG',
        contentType: 'image/png',
      }));

      const bytes = await client.fetchFile('sub dir/.thumbs/part-300x300.png');

      expect(Buffer.from(bytes ?? new Uint8Array()).toString()).toBe('PNG');
    });

    it('returns null for a missing file', async () => {
      const client = createClient();
      moonraker.http.set('GET /server/files/gcodes/gone.png', () => errorReply(404, 'Not found'));

      expect(await client.fetchFile('gone.png')).toBeNull();
    });

    it('reads server, printer and objects over HTTP', async () => {
      const client = createClient();
      moonraker.http.set('GET /server/info', () => jsonReply(serverInfo()));
      moonraker.http.set('GET /printer/info', () =>
        jsonReply({ state: 'ready', state_message: 'Printer is ready' }),
      );
      moonraker.http.set('GET /printer/objects/list', () => jsonReply({ objects: ['fan'] }));

      expect((await client.serverInfo()).klippy_state).toBe('ready');
      expect((await client.printerInfo()).state_message).toBe('Printer is ready');
      expect(await client.listObjects()).toEqual(['fan']);
    });
  });

  describe('failure logging', () => {
    const FAILED = /^Moonraker connection failed/;
    const HOUR_MS = 60 * 60_000;

    it('logs a switched-off printer a few times over hours', { timeout: 30_000 }, async () => {
      const capture = captureLogger();
      const client = createClient({ url: await closedPortUrl(), logger: capture.logger });
      const loggedAt: number[] = [];
      let attempts = 0;
      let attemptsAtLastLine = 0;

      client.start();
      while (clock.monotonic() < 4 * HOUR_MS) {
        const change = await stateReached(client, 'backoff');
        attempts += 1;
        const failures = capture.lines.filter((line) => FAILED.test(String(line['msg'])));
        if (failures.length > loggedAt.length) {
          loggedAt.push(clock.monotonic());
          attemptsAtLastLine = attempts;
        }
        clock.advance(change.retryInMs ?? 0);
      }

      const failures = capture.lines.filter((line) => FAILED.test(String(line['msg'])));
      expect(attempts).toBeGreaterThan(900);
      expect(failures.map((line) => line['level'])).toEqual(failures.map(() => 40));
      const minutes = loggedAt.map((at) => Math.floor(at / 60_000));
      expect(minutes).toEqual([0, 1, 5, 15, 60, 120, 180]);
      expect(failures.slice(1).every((line) => Number(line['suppressed']) > 0)).toBe(true);
      const suppressed = failures.reduce((sum, line) => sum + Number(line['suppressed']), 0);
      expect(suppressed + failures.length).toBe(attemptsAtLastLine);
    });

    it('logs one line when Moonraker is back', async () => {
      const capture = captureLogger();
      moonraker.rejectUpgradeWith = 503;
      const client = createClient({ logger: capture.logger });
      client.start();
      for (let attempt = 1; attempt <= 3; attempt += 1) {
        const change = await stateReached(client, 'backoff');
        if (attempt === 3) moonraker.rejectUpgradeWith = null;
        clock.advance(change.retryInMs ?? 0);
      }
      await recorder.next(isSnapshot('subscribe'));

      const messages = capture.lines.map((line) => String(line['msg']));
      expect(messages.filter((message) => FAILED.test(message))).toHaveLength(1);
      expect(messages).not.toContain('Moonraker connection ready');
      const ready = capture.lines.filter(
        (line) => line['msg'] === 'Moonraker connection ready after failed attempts',
      );
      expect(ready).toHaveLength(1);
      expect(ready[0]).toMatchObject({ level: 30, failedAttempts: 3 });
    });
  });

  describe('dispose', () => {
    it('leaves no timers and no sockets behind', async () => {
      const client = await readyClient();
      moonraker.http.set('POST /printer/objects/query', () => 'hang');
      moonraker.notify('notify_klippy_ready');
      moonraker.notify('notify_history_changed', [{ action: 'added', job: {} }]);
      await recorder.next(isNotification('notify_history_changed'));
      const disconnected = nextEvent(moonraker.events, 'disconnect');
      const count = recorder.inputs.length;

      client.dispose();
      await disconnected;
      clock.advance(60_000);
      await new Promise((resolve) => setImmediate(resolve));

      expect(clock.pendingTimers).toBe(0);
      expect(moonraker.sockets.size).toBe(0);
      expect(client.state).toBe('disposed');
      expect(recorder.inputs).toHaveLength(count);
    });

    it('clears the retry timer while in backoff', async () => {
      const client = createClient({ url: await closedPortUrl() });
      client.start();
      await stateReached(client, 'backoff');

      client.dispose();

      expect(clock.pendingTimers).toBe(0);
    });

    it('cancels a connection that is still opening', () => {
      const client = createClient();
      client.start();

      client.dispose();

      expect(clock.pendingTimers).toBe(0);
      expect(client.state).toBe('disposed');
    });

    it('ignores a second dispose and a later start', () => {
      const client = createClient();
      client.dispose();
      client.dispose();
      client.start();

      expect(client.state).toBe('disposed');
    });
  });
});
