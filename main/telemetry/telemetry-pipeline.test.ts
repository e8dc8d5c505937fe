import { readFileSync } from 'node:fs';

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { telemetryEnvelopeSchema } from '../../shared/contract/envelope.js';
import type { TelemetryEnvelope } from '../../shared/contract/envelope.js';
import { eventsPayloadSchema } from '../../shared/contract/events.js';
import { sensorsPayloadSchema } from '../../shared/contract/sensors.js';
import { statusPayloadSchema } from '../../shared/contract/status.js';
import { FakeClock } from '../../test/support/fake-clock.js';
import {
  hasRecordings,
  recordingPath,
  recordingsMissingReason,
} from '../../test/support/fixtures.js';
import type { MoonrakerInput } from '../moonraker/input.js';
import type { CadenceChannel } from './cadence-policy.js';
import { EnvelopeFactory } from './envelope-factory.js';
import { contractKey } from './contract-key.js';
import { RateControl } from './rate-control.js';
import { StatusBuilder } from './status-builder.js';
import { TelemetryPipeline } from './telemetry-pipeline.js';
import type { MetadataFetcher } from './telemetry-pipeline.js';
import {
  availability,
  historyChanged,
  historyJob,
  notification,
  printStats,
  snapshot,
  statusUpdate,
} from './__testing__/state-inputs.js';

interface Published {
  channel: CadenceChannel;
  envelope: TelemetryEnvelope;
  at: number;
}

const payloadSchemas = {
  status: statusPayloadSchema,
  sensors: sensorsPayloadSchema,
  events: eventsPayloadSchema,
} as const;

function recordedInputs(name: 'print-pause-cancel' | 'emergency-stop'): MoonrakerInput[] {
  const inputs: MoonrakerInput[] = [];
  for (const line of readFileSync(recordingPath(name), 'utf8').split('\n').filter(Boolean)) {
    const { captured_at: capturedAt, raw } = JSON.parse(line) as {
      captured_at: string;
      raw: string;
    };
    const frame = JSON.parse(raw) as {
      method?: string;
      params?: unknown;
      result?: { status?: Record<string, Record<string, unknown>> };
    };
    const receivedAt = Date.parse(capturedAt);
    if (frame.method) {
      inputs.push({ kind: 'notification', method: frame.method, params: frame.params, receivedAt });
    } else if (frame.result?.status) {
      inputs.push({
        kind: 'snapshot',
        source: 'subscribe',
        status: frame.result.status,
        receivedAt,
      });
    }
  }
  return inputs;
}

/** Returns the status payload's contract key without the cadence block. */
function statusContract(payload: Readonly<Record<string, unknown>>): string {
  return contractKey({ ...payload, cadence: undefined });
}

/** Lets pending promise callbacks, such as a metadata fetch's, run. */
async function settlePromises(): Promise<void> {
  for (let round = 0; round < 5; round += 1) await Promise.resolve();
}

describe('TelemetryPipeline', () => {
  let clock: FakeClock;
  let rate: RateControl;
  let pipeline: TelemetryPipeline;
  let published: Published[];

  beforeEach(() => {
    clock = new FakeClock();
    published = [];
    rate = new RateControl({ clock });
    pipeline = createPipeline();
  });

  function createPipeline(fetchMetadata?: MetadataFetcher): TelemetryPipeline {
    const envelopes = new EnvelopeFactory({
      identity: { deviceId: 'device-1', printerId: 'printer-1' },
      version: '0.1.0',
      clock,
    });
    return new TelemetryPipeline({
      clock,
      envelopes,
      rate,
      sink: (channel, envelope) => published.push({ channel, envelope, at: clock.monotonic() }),
      ...(fetchMetadata ? { fetchMetadata } : {}),
    });
  }

  afterEach(() => {
    pipeline.dispose();
    rate.dispose();
    expect(clock.pendingTimers).toBe(0);
  });

  function ofChannel(channel: CadenceChannel): Published[] {
    return published.filter((item) => item.channel === channel);
  }

  function eventNames(): string[] {
    return ofChannel('events').flatMap((item) =>
      (item.envelope.payload['items'] as { eventName: string }[]).map((event) => event.eventName),
    );
  }

  describe.skipIf(!hasRecordings())(`recorded print (${recordingsMissingReason})`, () => {
    beforeEach(() => {
      let previous: number | undefined;
      for (const input of recordedInputs('print-pause-cancel')) {
        if (previous !== undefined) clock.advance(Math.max(0, input.receivedAt - previous));
        previous = input.receivedAt;
        pipeline.ingest(input);
      }
      clock.advance(120_000);
    });

    it('emits the five print events in order', () => {
      expect(eventNames()).toEqual([
        'print:started',
        'print:paused',
        'print:resumed',
        'print:paused',
        'print:cancelled',
      ]);
    });

    it('produces only schema-valid envelopes', () => {
      for (const { channel, envelope } of published) {
        expect(telemetryEnvelopeSchema.safeParse(envelope).success).toBe(true);
        if (channel === 'objects') continue;
        const result = payloadSchemas[channel].safeParse(envelope.payload);
        expect(result.error?.issues ?? []).toEqual([]);
      }
    });

    it('numbers each channel from 1 without gaps', () => {
      for (const channel of ['status', 'sensors', 'events'] as const) {
        const sequence = ofChannel(channel).map((item) => item.envelope.$seq);
        expect(sequence).toEqual(sequence.map((_, index) => index + 1));
      }
    });

    it('keeps status at least 2 s apart', () => {
      const times = ofChannel('status').map((item) => item.at);
      const gaps = times.slice(1).map((time, index) => time - (times[index] ?? 0));
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(2_000);
    });

    it('sets the session id during the job only', () => {
      const started = ofChannel('events').find((item) =>
        JSON.stringify(item.envelope.payload).includes('print:started'),
      );
      expect(started?.envelope.sessionId).toMatch(/^(job-|[0-9a-f]{40})/);
      expect(ofChannel('status').at(-1)?.envelope.sessionId).toBeNull();
    });
  });

  describe('watch window', () => {
    beforeEach(() => {
      pipeline.ingest(
        snapshot({
          extruder: { temperature: 24.2, target: 0 },
          heater_bed: { temperature: 23.9, target: 0 },
          print_stats: { state: 'standby' },
          webhooks: { state: 'ready' },
        }),
      );
      clock.advance(5_000);
    });

    it('sends a sensors frame as soon as the window opens', () => {
      const before = ofChannel('sensors').length;
      pipeline.applyRate({ mode: 'watch', intervalSeconds: 1, durationSeconds: 60 });
      const after = ofChannel('sensors');
      expect(after.length).toBe(before + 1);
      expect(after.at(-1)?.envelope.payload['cadence']).toMatchObject({
        mode: 'watch',
        intervalSeconds: 1,
      });
    });

    it('sends changed sensors every second while watching', () => {
      pipeline.applyRate({ mode: 'watch', intervalSeconds: 1, durationSeconds: 60 });
      const start = ofChannel('sensors').length;
      for (let second = 1; second <= 5; second += 1) {
        pipeline.ingest(statusUpdate({ extruder: { temperature: 24.2 + second } }));
        clock.advance(1_000);
      }
      expect(ofChannel('sensors').length - start).toBe(5);
    });

    it('returns to the idle interval when the window expires', () => {
      pipeline.applyRate({ mode: 'watch', intervalSeconds: 1, durationSeconds: 10 });
      clock.advance(11_000);
      const start = ofChannel('sensors').length;
      for (let second = 1; second <= 10; second += 1) {
        pipeline.ingest(statusUpdate({ extruder: { temperature: 30 + second } }));
        clock.advance(1_000);
      }
      expect(ofChannel('sensors').length - start).toBeLessThanOrEqual(1);
    });

    it('dates a sensor change by the input that made it', () => {
      pipeline.ingest(statusUpdate({ extruder: { temperature: 30.2 } }));
      clock.advance(10_000);
      pipeline.ingest(statusUpdate({ extruder: { temperature: 30.6 } }));
      clock.advance(20_000);

      const sensors = ofChannel('sensors');
      expect(sensors.map((item) => item.at)).toEqual([0, 30_000]);
      const entries = sensors.at(-1)?.envelope.payload['sensors'] as { lastUpdated: string }[];
      expect(entries[0]?.lastUpdated).toBe('2026-01-01T12:00:05+00:00');
    });

    it('keeps idle sensors at least 30 s apart', () => {
      for (let tick = 1; tick <= 480; tick += 1) {
        pipeline.ingest(statusUpdate({ extruder: { temperature: 25 + tick / 4 } }));
        clock.advance(250);
      }
      const times = ofChannel('sensors').map((item) => item.at);
      const gaps = times.slice(1).map((time, index) => time - (times[index] ?? 0));
      expect(times.length).toBeGreaterThanOrEqual(4);
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(30_000);
    });

    it('republishes unchanged status and sensors on request', () => {
      clock.advance(40_000);
      const status = ofChannel('status').length;
      const sensors = ofChannel('sensors').length;
      pipeline.republish();
      expect(ofChannel('status').length).toBe(status + 1);
      expect(ofChannel('sensors').length).toBe(sensors + 1);
    });

    it('reports every print state change', () => {
      const states: string[] = [];
      pipeline.onPrintStateChange((transition) => states.push(transition.state));
      pipeline.ingest(printStats({ state: 'printing', filename: 'cube.gcode' }));
      pipeline.ingest(printStats({ state: 'paused' }));
      expect(states).toEqual(['printing', 'paused']);
    });
  });
  describe('status cadence', () => {
    beforeEach(() => {
      pipeline.ingest(
        snapshot({
          extruder: { temperature: 24.2, target: 0 },
          print_stats: { state: 'standby', message: 'start' },
          webhooks: { state: 'ready' },
        }),
      );
    });

    it('builds the status only when it may be published', () => {
      const builds = vi.spyOn(pipeline.model.status, 'buildWithKey');
      for (let tick = 1; tick <= 40; tick += 1) {
        clock.advance(250);
        pipeline.ingest(printStats({ message: `tick ${tick}` }));
      }

      expect(ofChannel('status')).toHaveLength(6);
      expect(builds).toHaveBeenCalledTimes(5);
    });

    it('publishes the latest state on the trailing edge', () => {
      for (let tick = 1; tick <= 7; tick += 1) {
        clock.advance(250);
        pipeline.ingest(printStats({ message: `tick ${tick}` }));
      }
      clock.advance(250);

      const last = ofChannel('status').at(-1);
      expect(last?.at).toBe(2_000);
      expect(last?.envelope.payload['lifecycle']).toMatchObject({ reason: 'tick 7' });
    });

    it('publishes a change after the min interval at once', () => {
      clock.advance(5_000);
      pipeline.ingest(printStats({ message: 'later' }));

      expect(ofChannel('status').map((item) => item.at)).toEqual([0, 5_000]);
    });

    it('drops a change that is undone within the min interval', () => {
      clock.advance(500);
      pipeline.ingest(printStats({ message: 'brief' }));
      clock.advance(500);
      pipeline.ingest(printStats({ message: 'start' }));
      clock.advance(5_000);

      expect(ofChannel('status')).toHaveLength(1);
    });

    it('publishes an unchanged status when Klippy becomes ready', () => {
      clock.advance(5_000);
      pipeline.ingest(notification('notify_klippy_ready', null));

      expect(ofChannel('status').map((item) => item.at)).toEqual([0, 5_000]);
    });

    it('publishes at once when Moonraker becomes unreachable', () => {
      clock.advance(5_000);
      pipeline.ingest(availability(false, 'connection refused'));

      expect(ofChannel('status').map((item) => item.at)).toEqual([0, 5_000]);
      expect(ofChannel('status').at(-1)?.envelope.payload['lifecycle']).toMatchObject({
        phase: 'Offline',
      });
    });

    it('sends the latest body with the heartbeat', () => {
      pipeline.ingest(printStats({ state: 'printing', filename: 'cube.gcode', print_duration: 0 }));
      for (let second = 1; second <= 70; second += 1) {
        clock.advance(1_000);
        pipeline.ingest(printStats({ print_duration: second }));
      }

      const statuses = ofChannel('status');
      expect(statuses.map((item) => item.at)).toEqual([0, 2_000, 62_000]);
      const job = statuses.at(-1)?.envelope.payload['job'] as { progress: unknown } | undefined;
      expect(job?.progress).toEqual({ elapsedSeconds: 61 });
    });
  });

  describe('job progress', () => {
    const FILE = 'part.gcode';
    const BYTE_RANGE = { gcode_start_byte: 30_078, gcode_end_byte: 559_446 };
    let fetches: {
      filename: string;
      resolve: (metadata: Record<string, unknown> | null) => void;
    }[];

    beforeEach(() => {
      fetches = [];
      pipeline.dispose();
      pipeline = createPipeline(
        (filename) => new Promise((resolve) => fetches.push({ filename, resolve })),
      );
      pipeline.ingest(
        snapshot({
          print_stats: { state: 'standby', filename: '' },
          virtual_sdcard: { file_position: 0, progress: 0 },
          webhooks: { state: 'ready' },
        }),
      );
      clock.advance(5_000);
    });

    /** Returns the `job.progressPercent` of every status published so far that has one. */
    function publishedProgress(): number[] {
      return ofChannel('status').flatMap((item) => {
        const job = item.envelope.payload['job'] as { progressPercent?: number } | undefined;
        return job?.progressPercent === undefined ? [] : [job.progressPercent];
      });
    }

    function startPrint(): void {
      // The first frame of a print: the read position is just past the header and thumbnails.
      pipeline.ingest(
        statusUpdate({
          print_stats: { state: 'printing', filename: FILE },
          virtual_sdcard: { file_position: 30_173, progress: 0.0521 },
        }),
      );
    }

    function printOn(seconds: number): void {
      for (let tick = 1; tick <= seconds * 4; tick += 1) {
        clock.advance(250);
        const position = 30_173 + tick * 400;
        pipeline.ingest(
          statusUpdate({
            virtual_sdcard: { file_position: position, progress: position / 579_346 },
          }),
        );
      }
    }

    it('publishes no progress until the file metadata arrives', async () => {
      startPrint();
      expect(fetches.map((fetch) => fetch.filename)).toEqual([FILE]);
      expect(publishedProgress()).toEqual([]);

      fetches[0]?.resolve(BYTE_RANGE);
      await settlePromises();
      printOn(10);

      expect(publishedProgress()[0]).toBe(0);
    });

    it('never lowers the progress when the history brings the metadata', () => {
      startPrint();
      clock.advance(12);
      pipeline.ingest(
        historyChanged(
          'added',
          historyJob('0002E3', FILE, 'in_progress', { metadata: BYTE_RANGE }),
        ),
      );
      printOn(60);

      const progress = publishedProgress();
      expect(progress[0]).toBe(0);
      expect(progress).toEqual([...progress].sort((left, right) => left - right));
      expect(progress.at(-1)).toBeGreaterThan(5);
    });

    it('falls back to virtual_sdcard.progress when the file has no metadata', async () => {
      startPrint();
      fetches[0]?.resolve(null);
      await settlePromises();
      clock.advance(2_000);

      expect(publishedProgress()).toEqual([5]);
    });
  });

  describe.skipIf(!hasRecordings())(`recorded status (${recordingsMissingReason})`, () => {
    it('publishes every status change within the min interval', () => {
      const reference = new StatusBuilder({
        state: pipeline.model.store,
        session: pipeline.model.session,
        now: () => clock.now(),
      });
      const cadence = { heartbeatSeconds: 60, watchWindowActive: false };
      const changes: { at: number; contract: string }[] = [];
      let previous: number | undefined;
      for (const input of recordedInputs('print-pause-cancel')) {
        if (previous !== undefined) clock.advance(Math.max(0, input.receivedAt - previous));
        previous = input.receivedAt;
        pipeline.ingest(input);
        const contract = statusContract(reference.build(cadence));
        if (changes.at(-1)?.contract !== contract)
          changes.push({ at: clock.monotonic(), contract });
      }
      clock.advance(5_000);

      const statuses = ofChannel('status');
      for (const [index, change] of changes.entries()) {
        const next = changes[index + 1];
        const shown = statuses.filter(
          (item) => item.at >= change.at && item.at <= change.at + 2_000,
        );
        const contracts = shown.map((item) => statusContract(item.envelope.payload));
        const superseded = next !== undefined && next.at <= change.at + 2_000;
        if (!superseded) expect(contracts, `change at ${change.at}`).toContain(change.contract);
      }
      expect(statuses.length).toBeGreaterThan(10);
    });
  });
});
