import { readFileSync } from 'node:fs';

import { beforeAll, describe, expect, it } from 'vitest';

import { businessEventSchema } from '../../shared/contract/events.js';
import type { BusinessEvent } from '../../shared/contract/events.js';
import { statusPayloadSchema } from '../../shared/contract/status.js';
import {
  hasRecordings,
  recordingPath,
  recordingsMissingReason,
} from '../../test/support/fixtures.js';
import type { MoonrakerInput, ObjectStatus } from '../moonraker/input.js';
import { isPlainObject, mergeRecord } from './frozen-merge.js';
import type { FrozenRecord } from './frozen-merge.js';
import type { PrintStateTransition } from './print-event-tracker.js';
import { PrinterStateModel } from './printer-state-model.js';

/** One recorded websocket frame turned into the input the Moonraker client hands on. */
interface RecordedInput {
  input: MoonrakerInput;
  /** Printer objects as Klipper reported them in this frame (for rebuilding query results). */
  objects: Record<string, Record<string, unknown>>;
}

function readRecording(name: 'print-pause-cancel' | 'emergency-stop'): RecordedInput[] {
  const lines = readFileSync(recordingPath(name), 'utf8').split('\n').filter(Boolean);
  let snapshots = 0;
  const inputs: RecordedInput[] = [];
  for (const line of lines) {
    const { captured_at: capturedAt, raw } = JSON.parse(line) as {
      captured_at: string;
      raw: string;
    };
    const frame = JSON.parse(raw) as Record<string, unknown>;
    const receivedAt = Date.parse(capturedAt);
    if (typeof frame.method === 'string') {
      const input: MoonrakerInput = {
        kind: 'notification',
        method: frame.method,
        params: frame.params,
        receivedAt,
      };
      inputs.push({ input, objects: statusUpdateObjects(frame) });
      continue;
    }
    const status = (frame.result as { status?: ObjectStatus } | undefined)?.status;
    if (!isPlainObject(status)) continue;
    const source = snapshots === 0 ? 'subscribe' : 'query';
    snapshots += 1;
    inputs.push({ input: { kind: 'snapshot', source, status, receivedAt }, objects: status });
  }
  return inputs;
}

function statusUpdateObjects(frame: Record<string, unknown>) {
  if (frame.method !== 'notify_status_update' || !Array.isArray(frame.params)) return {};
  const [objects] = frame.params as unknown[];
  return isPlainObject(objects) ? (objects as Record<string, Record<string, unknown>>) : {};
}

interface Replay {
  events: BusinessEvent[];
  transitions: PrintStateTransition[];
  model: PrinterStateModel;
}

/**
 * Replays a recording. With `queryFollowUps`, a `query` snapshot follows every Klippy-ready and
 * history notification, where the bridge queries `print_stats` and `webhooks` over HTTP. The
 * recording contains no HTTP responses, so the snapshot carries the `print_stats` that Klipper
 * pushed so far and the Klippy state that the notifications established.
 */
function replay(recorded: RecordedInput[], queryFollowUps: boolean): Replay {
  let now = 0;
  const model = new PrinterStateModel({ now: () => now });
  const transitions: PrintStateTransition[] = [];
  model.detector.onPrintStateChange((transition) => transitions.push(transition));
  const events: BusinessEvent[] = [];
  let reported: Record<string, FrozenRecord> = {};

  for (const { input, objects } of recorded) {
    now = input.receivedAt;
    reported = mergeReported(reported, objects);
    events.push(...model.ingest(input).events);
    if (!queryFollowUps || !needsQuery(input)) continue;

    const status: ObjectStatus = { print_stats: { ...reported.print_stats } };
    const webhooks = model.store.get('webhooks');
    if (webhooks) status.webhooks = { ...webhooks };
    events.push(
      ...model.ingest({ kind: 'snapshot', source: 'query', status, receivedAt: now }).events,
    );
  }
  return { events, transitions, model };
}

function needsQuery(input: MoonrakerInput): boolean {
  if (input.kind !== 'notification') return false;
  return input.method === 'notify_klippy_ready' || input.method === 'notify_history_changed';
}

function mergeReported(
  reported: Record<string, FrozenRecord>,
  objects: Record<string, Record<string, unknown>>,
): Record<string, FrozenRecord> {
  const next = { ...reported };
  for (const [name, fields] of Object.entries(objects)) {
    next[name] = mergeRecord(next[name] ?? {}, fields);
  }
  return next;
}

function names(events: BusinessEvent[]): string[] {
  return events.map((event) => event.eventName);
}

describe.skipIf(!hasRecordings())(`recorded sessions (${recordingsMissingReason})`, () => {
  describe('print-pause-cancel', () => {
    let recorded: RecordedInput[] = [];
    beforeAll(() => {
      recorded = readRecording('print-pause-cancel');
    });

    it.each([false, true])('yields the five print events (queries: %s)', (queries) => {
      const { events } = replay(recorded, queries);

      expect(names(events)).toEqual([
        'print:started',
        'print:paused',
        'print:resumed',
        'print:paused',
        'print:cancelled',
      ]);
    });

    it('reports every print state change in order', () => {
      const { transitions } = replay(recorded, false);

      expect(transitions.map((transition) => transition.state)).toEqual([
        'standby',
        'printing',
        'paused',
        'printing',
        'paused',
        'cancelled',
      ]);
      expect(transitions[1]?.previousState).toBe('standby');
    });

    it('emits schema-valid events with the job data', () => {
      const { events } = replay(recorded, false);
      const [started, paused, , , cancelled] = events;

      for (const event of events) expect(businessEventSchema.safeParse(event).success).toBe(true);
      expect(started?.message).toBe('Print started: 齿轮_PLA_9m29s.gcode');
      expect(started?.occurredAt).toBe('2025-11-02T15:19:58.789000Z');
      expect(started?.sessionId).toMatch(/^[0-9a-f]{40}$/);
      expect(paused?.sessionId).toBe('job-0002E3');
      expect(paused?.data?.moonrakerJobId).toBe('0002E3');
      expect(cancelled?.sessionId).toBe('job-0002E3');
      expect(cancelled?.data?.endReason).toBe('cancelled');
      expect(cancelled?.data?.progressPercent).toBeGreaterThan(0);
      expect(cancelled?.data?.printDuration).toBe(93);
    });

    it('builds schema-valid status bodies throughout', () => {
      let now = 0;
      const model = new PrinterStateModel({ now: () => now });
      const phases = new Set<string>();
      for (const { input } of recorded) {
        now = input.receivedAt;
        model.ingest(input);
        const status = model.status.build({ heartbeatSeconds: 60, watchWindowActive: false });
        expect(statusPayloadSchema.safeParse(status).success).toBe(true);
        phases.add(status.lifecycle.phase);
      }

      expect([...phases]).toEqual(['Idle', 'Printing', 'Paused', 'Cancelled']);
    });
  });

  describe('emergency-stop', () => {
    let events: BusinessEvent[] = [];
    let model: PrinterStateModel;
    let klippyEvents: BusinessEvent[] = [];
    let printEvents: BusinessEvent[] = [];
    beforeAll(() => {
      ({ events, model } = replay(readRecording('emergency-stop'), true));
      klippyEvents = events.filter((event) => event.eventName.startsWith('klippy:'));
      printEvents = events.filter((event) => event.eventName.startsWith('print:'));
    });

    it('yields two shutdowns and two recoveries', () => {
      expect(names(klippyEvents)).toEqual([
        'klippy:shutdown',
        'klippy:ready',
        'klippy:shutdown',
        'klippy:ready',
      ]);
    });

    it('starts no print from stale data', () => {
      const started = printEvents.filter((event) => event.eventName === 'print:started');

      expect(started.length).toBeLessThanOrEqual(1);
      for (const event of started) {
        expect(event.data?.moonrakerJobId).toBe('00032E');
        expect(event.sessionId).toBe('job-00032E');
      }
    });

    it('ends the started second job with one failure', () => {
      expect(names(printEvents)).toEqual(['print:started', 'print:failed']);
      const failed = printEvents[1];
      expect(failed?.data?.endReason).toBe('error:klippy_shutdown');
      expect(failed?.data?.filename).toBe('4N/支架_ABS_10m35s.gcode');
      expect(failed?.sessionId).toBe('job-00032E');
    });

    it('orders the failure after the second shutdown', () => {
      const order = names(events);

      expect(order.indexOf('print:failed')).toBe(order.lastIndexOf('klippy:shutdown') + 1);
    });

    it('ends idle and ready with no job open', () => {
      const status = model.status.build({ heartbeatSeconds: 60, watchWindowActive: false });

      expect(status.lifecycle.phase).toBe('Idle');
      expect(status.lifecycle.isShutdown).toBe(false);
      expect(status.job).toBeUndefined();
      expect(model.detector.openJob).toBeUndefined();
    });

    it('emits schema-valid events', () => {
      for (const event of events) expect(businessEventSchema.safeParse(event).success).toBe(true);
    });
  });
});
