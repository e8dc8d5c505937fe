import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../test/support/fake-clock.js';
import {
  hasRecordings,
  recordingPath,
  recordingsMissingReason,
} from '../../../test/support/fixtures.js';
import { httpJson, queriedStatus } from '../__testing__/http-json.js';
import { RpcTestClient, statusChanges, type RpcMessage } from '../__testing__/rpc-test-client.js';
import { MoonrakerSimulator, type ReplayFinished, type SentFrame } from '../moonraker-simulator.js';

/** Milliseconds from the recorded subscribe response (15:19:54.290) to a capture time that day. */
function offsetOf(time: string): number {
  return Date.parse(`2025-11-02T${time}Z`) - Date.parse('2025-11-02T15:19:54.290Z');
}

function printStates(client: RpcTestClient): string[] {
  return client
    .notifications('notify_status_update')
    .map((message) => statusChanges(message)['print_stats']?.['state'])
    .filter((state): state is string => typeof state === 'string');
}

describe.skipIf(!hasRecordings())(
  `replay of recorded sessions (${recordingsMissingReason})`,
  () => {
    let simulator: MoonrakerSimulator | undefined;
    const clients: RpcTestClient[] = [];
    let clock: FakeClock;

    async function startReplay(
      name: 'print-pause-cancel' | 'emergency-stop',
      speed: number,
    ): Promise<string> {
      simulator = new MoonrakerSimulator({
        mode: { kind: 'replay', file: recordingPath(name), speed },
        clock,
      });
      return (await simulator.start()).url;
    }

    async function connect(url: string): Promise<RpcTestClient> {
      const client = await RpcTestClient.connect(url);
      clients.push(client);
      return client;
    }

    function nextReplayFinished(): Promise<ReplayFinished> {
      return new Promise((resolve) => simulator?.onReplayFinished(resolve));
    }

    beforeEach(() => {
      clock = new FakeClock();
    });

    afterEach(async () => {
      await Promise.all(clients.splice(0).map((client) => client.close()));
      await simulator?.stop();
      simulator = undefined;
    });

    describe('print-pause-cancel', () => {
      it('delivers the recorded print states', async () => {
        const client = await connect(await startReplay('print-pause-cancel', Infinity));
        const finished = nextReplayFinished();

        const answer = (await client.request('printer.objects.subscribe', {
          objects: { print_stats: ['state'] },
        })) as { status: Record<string, Record<string, unknown>> };
        const { framesSent } = await finished;
        await client.waitForCount('notify_history_changed', 2);
        await client.waitFor((_message) => client.notifications().length >= framesSent);

        expect(answer.status['print_stats']).toEqual({ state: 'standby' });
        expect(printStates(client)).toEqual([
          'printing',
          'paused',
          'printing',
          'paused',
          'cancelled',
        ]);
      });

      it('skips the recorded responses', async () => {
        const client = await connect(await startReplay('print-pause-cancel', Infinity));
        const finished = nextReplayFinished();

        await client.request('printer.objects.subscribe', {
          objects: { print_stats: null, virtual_sdcard: null },
        });
        const event = await finished;
        await client.waitFor(() => client.notifications().length >= event.framesSent);

        const answers = client.received.filter((message) => !('method' in message));
        expect(answers).toHaveLength(1);
        expect(client.notifications('notify_proc_stat_update')).toHaveLength(222);
        expect(client.notifications('notify_gcode_response')).toHaveLength(92);
        expect(event.framesSent + event.framesSkipped).toBe(1155);
      });

      it('answers queries from the frames played so far', async () => {
        const url = await startReplay('print-pause-cancel', 1);
        const client = await connect(url);
        await client.request('printer.objects.subscribe', { objects: { print_stats: ['state'] } });

        await clock.advanceAsync(offsetOf('15:19:58.700'));
        const before = queriedStatus(
          await httpJson(url, '/printer/objects/query?print_stats=state,filename'),
        );
        await clock.advanceAsync(offsetOf('15:19:58.850') - offsetOf('15:19:58.700'));
        await client.waitFor(
          (message) => statusChanges(message)['print_stats']?.['state'] === 'printing',
        );
        await client.waitForCount('notify_history_changed', 1);
        const after = queriedStatus(
          await httpJson(url, '/printer/objects/query?print_stats=state,filename'),
        );
        const history = await httpJson(url, '/server/history/list?limit=1&order=desc');

        expect(before['print_stats']).toEqual({
          state: 'standby',
          filename: '齿轮_PLA_9m29s.gcode',
        });
        expect(after['print_stats']).toEqual({
          state: 'printing',
          filename: '齿轮_PLA_9m29s.gcode',
        });
        expect(history.body['result']).toMatchObject({
          count: 1,
          jobs: [{ job_id: '0002E3', status: 'in_progress' }],
        });
      });

      it('keeps the recorded gaps divided by the speed', async () => {
        const client = await connect(await startReplay('print-pause-cancel', 2));
        const frames: SentFrame[] = [];
        simulator?.onFrame((frame) => frames.push(frame));
        await client.request('printer.objects.subscribe', { objects: { print_stats: ['state'] } });

        await clock.advanceAsync(offsetOf('15:19:58.789') / 2 - 1);
        const beforePrinting = frames.length;
        await clock.advanceAsync(1);
        const printing = frames.find((frame) => frame.text.includes('"state":"printing"'));

        expect(
          frames.slice(0, beforePrinting).some((frame) => frame.text.includes('"printing"')),
        ).toBe(false);
        expect(printing).toMatchObject({
          clientId: 1,
          method: 'notify_status_update',
          recordingLine: 12,
        });
        expect(printing?.sentAt).toBe(offsetOf('15:19:58.789') / 2);
      });

      it('serves metadata and thumbnails from history', async () => {
        const url = await startReplay('print-pause-cancel', Infinity);
        const client = await connect(url);
        const finished = nextReplayFinished();
        await client.request('printer.objects.subscribe', { objects: { print_stats: ['state'] } });
        await finished;

        const metadata = await httpJson(
          url,
          `/server/files/metadata?filename=${encodeURIComponent('齿轮_PLA_9m29s.gcode')}`,
        );
        const thumbnail = await fetch(
          `${url}/server/files/gcodes/${encodeURIComponent('.thumbs/齿轮_PLA_9m29s-32x32.png')}`,
        );

        expect(metadata.body['result']).toMatchObject({
          estimated_time: 569,
          job_id: '0002E3',
          filename: '齿轮_PLA_9m29s.gcode',
        });
        expect(thumbnail.status).toBe(200);
        expect(
          Buffer.from(await thumbnail.arrayBuffer())
            .subarray(1, 4)
            .toString('ascii'),
        ).toBe('PNG');
      });

      it('replays each client from its subscribe', async () => {
        const url = await startReplay('print-pause-cancel', Infinity);
        const first = await connect(url);
        const second = await connect(url);
        const finishedFirst = nextReplayFinished();
        await first.request('printer.objects.subscribe', { objects: { print_stats: ['state'] } });
        await finishedFirst;
        const finishedSecond = nextReplayFinished();

        const answer = (await second.request('printer.objects.subscribe', {
          objects: { print_stats: ['state'] },
        })) as {
          status: Record<string, Record<string, unknown>>;
        };
        await finishedSecond;
        await second.waitForCount('notify_history_changed', 2);

        expect(answer.status['print_stats']).toEqual({ state: 'standby' });
        expect(printStates(second)).toEqual([
          'printing',
          'paused',
          'printing',
          'paused',
          'cancelled',
        ]);
      });
    });

    describe('emergency-stop', () => {
      function klippyEvents(client: RpcTestClient): string[] {
        return client
          .notifications()
          .map((message: RpcMessage) => message.method ?? '')
          .filter((method) => method.startsWith('notify_klippy_'));
      }

      it('plays the Klippy notifications in order', async () => {
        const client = await connect(await startReplay('emergency-stop', Infinity));
        const finished = nextReplayFinished();

        await client.request('printer.objects.subscribe', {
          objects: { webhooks: null, extruder: ['temperature'] },
        });
        const event = await finished;
        await client.waitFor(() => client.notifications().length >= event.framesSent);

        expect(klippyEvents(client)).toEqual([
          'notify_klippy_shutdown',
          'notify_klippy_disconnected',
          'notify_klippy_ready',
          'notify_klippy_shutdown',
          'notify_klippy_disconnected',
          'notify_klippy_ready',
        ]);
      });

      it('rejects printer requests while disconnected', async () => {
        const url = await startReplay('emergency-stop', 1);
        const client = await connect(url);
        await client.request('printer.objects.subscribe', { objects: { webhooks: null } });

        await clock.advanceAsync(40_000);
        await client.waitFor((message) => message.method === 'notify_klippy_disconnected');
        const query = await httpJson(url, '/printer/objects/query?webhooks');
        const info = await httpJson(url, '/server/info');

        expect(query).toEqual({
          status: 503,
          body: { error: { code: 503, message: 'Klippy Disconnected' } },
        });
        expect(info.body['result']).toMatchObject({
          klippy_connected: false,
          klippy_state: 'disconnected',
        });
      });

      it('sends the webhooks shutdown first', async () => {
        const client = await connect(await startReplay('emergency-stop', Infinity));

        await client.request('printer.objects.subscribe', { objects: { webhooks: null } });
        await client.waitFor((message) => message.method === 'notify_klippy_shutdown');
        const shutdownStatus = client.received.findIndex(
          (message) => statusChanges(message)['webhooks']?.['state'] === 'shutdown',
        );
        const shutdownNotice = client.received.findIndex(
          (message) => message.method === 'notify_klippy_shutdown',
        );

        expect(shutdownStatus).toBeGreaterThan(0);
        expect(shutdownStatus).toBeLessThan(shutdownNotice);
      });
    });
  },
);
