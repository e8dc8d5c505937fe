import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../test/support/fake-clock.js';
import { httpJson, queriedStatus } from '../__testing__/http-json.js';
import { RpcTestClient, statusChanges, type RpcMessage } from '../__testing__/rpc-test-client.js';
import { MoonrakerSimulator, type ScenarioName } from '../moonraker-simulator.js';
import { RESTART_TIMING_MS } from './klippy-lifecycle.js';
import { MACRO_DELAY_MS } from './printer-model.js';
import { SCENARIO_TIMING_MS } from './scenarios.js';

const CUBE = 'owl_cube_0.2mm_PLA_14m.gcode';

describe('scenario mode', () => {
  let clock: FakeClock;
  let simulator: MoonrakerSimulator | undefined;
  let url: string;
  const clients: RpcTestClient[] = [];

  async function start(name: ScenarioName, speed = 1): Promise<RpcTestClient> {
    simulator = new MoonrakerSimulator({ mode: { kind: 'scenario', name, speed }, clock });
    url = (await simulator.start()).url;
    const client = await RpcTestClient.connect(url);
    clients.push(client);
    return client;
  }

  async function printStats(): Promise<Record<string, unknown>> {
    const status = queriedStatus(
      await httpJson(url, '/printer/objects/query?print_stats&virtual_sdcard&pause_resume'),
    );
    return {
      ...status['print_stats'],
      sdcard: status['virtual_sdcard'],
      paused: status['pause_resume']?.['is_paused'],
    };
  }

  function pushedStates(client: RpcTestClient): unknown[] {
    return client
      .notifications('notify_status_update')
      .map((message) => statusChanges(message)['print_stats']?.['state'])
      .filter((state) => state !== undefined);
  }

  function historyActions(client: RpcTestClient): string[] {
    return client.notifications('notify_history_changed').map((message) => {
      const [change] = message.params as [
        { action: string; job: { job_id: string; status: string } },
      ];
      return `${change.action}:${change.job.job_id}:${change.job.status}`;
    });
  }

  beforeEach(() => {
    clock = new FakeClock();
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await simulator?.stop();
    simulator = undefined;
  });

  describe('printing', () => {
    it('heats before moving through the file', async () => {
      await start('printing');

      const heating = await printStats();
      const targets = queriedStatus(
        await httpJson(url, '/printer/objects/query?extruder=target&heater_bed=target'),
      );
      await clock.advanceAsync(150_000);
      const printing = await printStats();

      expect(heating).toMatchObject({
        state: 'printing',
        filename: CUBE,
        print_duration: 0,
        info: { current_layer: 0 },
      });
      expect(heating['sdcard']).toMatchObject({ file_position: 9_876, is_active: true });
      expect(targets).toEqual({ extruder: { target: 215 }, heater_bed: { target: 60 } });
      expect(printing['print_duration']).toBeGreaterThan(0);
      expect(printing['filament_used']).toBeGreaterThan(0);
      expect((printing['sdcard'] as { file_position: number }).file_position).toBeGreaterThan(
        9_876,
      );
      expect((printing['info'] as { current_layer: number }).current_layer).toBeGreaterThanOrEqual(
        1,
      );
    });

    it('completes the print and starts the next one', async () => {
      const client = await start('printing', 100);
      await client.request('printer.objects.subscribe', { objects: { print_stats: ['state'] } });

      await clock.advanceAsync(12_000);
      await client.waitForCount('notify_history_changed', 1);
      await clock.advanceAsync(SCENARIO_TIMING_MS.betweenPrints / 100 + 250);
      await client.waitForCount('notify_history_changed', 2);

      expect(pushedStates(client)).toEqual(['complete', 'printing']);
      expect(historyActions(client)).toEqual([
        'finished:000001:completed',
        'added:000002:in_progress',
      ]);
      expect(await printStats()).toMatchObject({
        filename: 'boats/3DBenchy_0.15mm_PETG_1h2m.gcode',
      });
    });
  });

  describe('print control', () => {
    it('pauses after the macro and resumes', async () => {
      const client = await start('idle');
      await client.request('printer.objects.subscribe', { objects: { print_stats: ['state'] } });
      await client.request('printer.print.start', { filename: CUBE });

      await client.request('printer.print.pause');
      await clock.advanceAsync(MACRO_DELAY_MS.pause - 250);
      const stillPrinting = await printStats();
      await clock.advanceAsync(250);
      await client.waitFor(
        (message) => statusChanges(message)['print_stats']?.['state'] === 'paused',
      );
      const paused = await printStats();
      const beforeResume = client.received.length;
      await client.request('printer.print.resume');
      await clock.advanceAsync(MACRO_DELAY_MS.resume);
      await client.waitFor(
        (message) => statusChanges(message)['print_stats']?.['state'] === 'printing',
        beforeResume,
      );

      expect(stillPrinting['state']).toBe('printing');
      expect(paused).toMatchObject({ state: 'paused', paused: true, sdcard: { is_active: false } });
      expect(pushedStates(client)).toEqual(['printing', 'paused', 'printing']);
    });

    it('runs a resume sent during PAUSE after it', async () => {
      const client = await start('idle');
      await client.request('printer.objects.subscribe', { objects: { print_stats: ['state'] } });
      await client.request('printer.print.start', { filename: CUBE });

      await client.request('printer.print.pause');
      await client.request('printer.print.resume');
      await clock.advanceAsync(MACRO_DELAY_MS.pause + MACRO_DELAY_MS.resume);
      await client.waitForCount('notify_status_update', 3);

      expect(pushedStates(client)).toEqual(['printing', 'paused', 'printing']);
    });

    it('cancels a print and closes its history entry', async () => {
      const client = await start('idle');
      await client.request('printer.objects.subscribe', { objects: { print_stats: ['state'] } });
      await client.request('printer.print.start', { filename: CUBE });
      await client.request('printer.print.pause');
      await clock.advanceAsync(MACRO_DELAY_MS.pause);

      await client.request('printer.print.cancel');
      await clock.advanceAsync(MACRO_DELAY_MS.cancel);
      await client.waitForCount('notify_history_changed', 2);

      expect(pushedStates(client)).toEqual(['printing', 'paused', 'cancelled']);
      expect(historyActions(client)).toEqual([
        'added:000001:in_progress',
        'finished:000001:cancelled',
      ]);
      expect(await printStats()).toMatchObject({
        state: 'cancelled',
        sdcard: { file_path: null, progress: 0 },
      });
    });

    it('ignores a resume while printing', async () => {
      const client = await start('idle');
      await client.request('printer.print.start', { filename: CUBE });

      await client.request('printer.print.resume');
      await clock.advanceAsync(MACRO_DELAY_MS.resume);
      const notice = await client.waitFor(
        (message) => message.params?.[0] === '// Print is not paused, resume aborted',
      );

      expect(notice.method).toBe('notify_gcode_response');
      expect((await printStats())['state']).toBe('printing');
    });

    it('rejects a second print while one runs', async () => {
      const client = await start('idle');
      await client.request('printer.print.start', { filename: CUBE });

      const answer = await client.call('printer.print.start', { filename: CUBE });

      expect(answer['error']).toEqual({ code: 400, message: 'SD busy' });
    });

    it('rejects a file that does not exist', async () => {
      await start('idle');

      const answer = await httpJson(url, '/printer/print/start?filename=missing.gcode', {
        method: 'POST',
      });

      expect(answer).toEqual({
        status: 400,
        body: { error: { code: 400, message: 'Unable to open file' } },
      });
    });
  });

  describe('emergency stop and firmware restart', () => {
    const restartTimeMs = RESTART_TIMING_MS.disconnected + RESTART_TIMING_MS.startup;

    function indexOf(client: RpcTestClient, predicate: (message: RpcMessage) => boolean): number {
      return client.received.findIndex(predicate);
    }

    it('orders shutdown notifications like Moonraker', async () => {
      const client = await start('idle');
      await client.request('printer.objects.subscribe', {
        objects: { webhooks: null, print_stats: ['state', 'message'] },
      });
      await client.request('printer.print.start', { filename: CUBE });

      await httpJson(url, '/printer/emergency_stop', { method: 'POST' });
      await client.waitForCount('notify_history_changed', 2);
      const gcodeNotice = indexOf(
        client,
        (message) => message.params?.[0] === '// Klipper state: Shutdown',
      );
      const webhooksShutdown = indexOf(
        client,
        (message) => statusChanges(message)['webhooks']?.['state'] === 'shutdown',
      );
      const shutdownNotice = indexOf(
        client,
        (message) => message.method === 'notify_klippy_shutdown',
      );
      const printError = indexOf(
        client,
        (message) => statusChanges(message)['print_stats']?.['state'] === 'error',
      );
      const historyFinished = client.received.findLastIndex(
        (message) => message.method === 'notify_history_changed',
      );

      expect(gcodeNotice).toBeGreaterThan(0);
      expect(webhooksShutdown).toBeGreaterThan(gcodeNotice);
      expect(shutdownNotice).toBeGreaterThan(webhooksShutdown);
      expect(printError).toBeGreaterThan(shutdownNotice);
      expect(historyFinished).toBeGreaterThan(printError);
      expect(historyActions(client)).toEqual([
        'added:000001:in_progress',
        'finished:000001:klippy_shutdown',
      ]);
      expect(await printStats()).toMatchObject({
        state: 'error',
        message: 'Shutdown due to webhooks request',
      });
    });

    it('rejects G-code while shut down', async () => {
      const client = await start('idle');
      await client.request('printer.emergency_stop');

      const answer = await client.call('printer.gcode.script', { script: 'M104 S200' });

      expect(answer['error']).toMatchObject({ code: 400 });
      expect((answer['error'] as { message: string }).message).toMatch(
        /^Shutdown due to webhooks request\nOnce the underlying issue/,
      );
    });

    it('restarts through disconnected and startup', async () => {
      const client = await start('idle');
      await client.request('printer.objects.subscribe', {
        objects: { webhooks: null, extruder: ['target'] },
      });
      await client.request('printer.emergency_stop');

      await client.request('printer.firmware_restart');
      await client.waitFor((message) => message.method === 'notify_klippy_disconnected');
      const disconnected = await httpJson(url, '/server/info');
      const query = await httpJson(url, '/printer/objects/query?webhooks');
      await clock.advanceAsync(RESTART_TIMING_MS.disconnected);
      const startingUp = await httpJson(url, '/server/info');
      await clock.advanceAsync(RESTART_TIMING_MS.startup);
      await client.waitFor((message) => message.method === 'notify_klippy_ready');
      const klippyNotices = client
        .notifications()
        .filter((message) => message.method?.startsWith('notify_klippy_'));

      expect(disconnected.body['result']).toMatchObject({
        klippy_connected: false,
        klippy_state: 'disconnected',
      });
      expect(query.status).toBe(503);
      expect(startingUp.body['result']).toMatchObject({
        klippy_connected: true,
        klippy_state: 'startup',
      });
      expect(klippyNotices.map((message) => message.method)).toEqual([
        'notify_klippy_shutdown',
        'notify_klippy_disconnected',
        'notify_klippy_ready',
      ]);
      expect(await printStats()).toMatchObject({ state: 'standby', filename: '' });
    });

    it('drops subscriptions until the next subscribe', async () => {
      const client = await start('idle');
      await client.request('printer.objects.subscribe', { objects: { extruder: ['target'] } });

      await client.request('printer.firmware_restart');
      await clock.advanceAsync(restartTimeMs);
      await client.waitFor((message) => message.method === 'notify_klippy_ready');
      await client.request('printer.gcode.script', { script: 'M104 S150' });
      await clock.advanceAsync(500);
      await client.request('server.info');
      const silent = client.notifications('notify_status_update').length;
      const answer = (await client.request('printer.objects.subscribe', {
        objects: { extruder: ['target'] },
      })) as {
        status: Record<string, unknown>;
      };

      expect(silent).toBe(0);
      expect(answer.status).toEqual({ extruder: { target: 150 } });
    });

    it('runs from print to ready', async () => {
      const client = await start('emergency-stop', 10);

      await clock.advanceAsync(30_000);
      await client.waitForCount('notify_klippy_ready', 1);
      const notices = client
        .notifications()
        .filter((message) => message.method?.startsWith('notify_klippy_'));

      expect(notices.map((message) => message.method)).toEqual([
        'notify_klippy_shutdown',
        'notify_klippy_disconnected',
        'notify_klippy_ready',
      ]);
      expect(historyActions(client)).toEqual(['finished:000001:klippy_shutdown']);
    });
  });

  describe('silent-print', () => {
    it('shows the print only through history and queries', async () => {
      const client = await start('silent-print', 20);
      await client.request('printer.objects.subscribe', {
        objects: { print_stats: null, virtual_sdcard: null, extruder: ['target'] },
      });

      await clock.advanceAsync(SCENARIO_TIMING_MS.beforeSilentPrint / 20 + 250);
      const added = await client.waitFor((message) => message.method === 'notify_history_changed');
      await client.waitFor((message) => statusChanges(message)['extruder']?.['target'] === 215);
      const queried = await printStats();
      const pushedDuringPrint = client
        .notifications('notify_status_update')
        .filter((message) => 'print_stats' in statusChanges(message));

      expect(added.params).toMatchObject([
        { action: 'added', job: { job_id: '000001', filename: CUBE } },
      ]);
      expect(queried).toMatchObject({ state: 'printing', filename: CUBE });
      expect(pushedDuringPrint).toEqual([]);
    });

    it('pushes print objects after the print', async () => {
      const client = await start('silent-print', 100);
      await client.request('printer.objects.subscribe', { objects: { print_stats: ['state'] } });

      await clock.advanceAsync(12_000);
      await client.waitForCount('notify_history_changed', 2);
      await client.waitFor(
        (message) => statusChanges(message)['print_stats']?.['state'] === 'complete',
      );

      expect(pushedStates(client)).toEqual(['complete']);
    });
  });
});
