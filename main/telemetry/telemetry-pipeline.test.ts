import { readFileSync } from 'node:fs';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

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
import { RateControl } from './rate-control.js';
import { TelemetryPipeline } from './telemetry-pipeline.js';
import { printStats, snapshot, statusUpdate } from './__testing__/state-inputs.js';

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

describe('TelemetryPipeline', () => {
  let clock: FakeClock;
  let rate: RateControl;
  let pipeline: TelemetryPipeline;
  let published: Published[];

  beforeEach(() => {
    clock = new FakeClock();
    published = [];
    rate = new RateControl({ clock });
    const envelopes = new EnvelopeFactory({
      identity: { deviceId: 'device-1', printerId: 'printer-1' },
      version: '0.1.0',
      clock,
    });
    pipeline = new TelemetryPipeline({
      clock,
      envelopes,
      rate,
      sink: (channel, envelope) => published.push({ channel, envelope, at: clock.monotonic() }),
    });
  });

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
});
