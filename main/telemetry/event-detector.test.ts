import { describe, expect, it } from 'vitest';

import { businessEventSchema } from '../../shared/contract/events.js';
import type { BusinessEvent } from '../../shared/contract/events.js';
import type { MoonrakerInput, ObjectStatus } from '../moonraker/input.js';
import type { PrintStateTransition } from './print-event-tracker.js';
import { PrinterStateModel } from './printer-state-model.js';
import {
  availability,
  historyChanged,
  historyJob,
  notification,
  printStats,
  snapshot,
  statusUpdate,
} from './__testing__/state-inputs.js';

const FILE = 'cube.gcode';
const START_TIME = Date.parse('2026-01-01T12:00:00.123Z');

const READY: ObjectStatus = {
  webhooks: { state: 'ready', state_message: 'Printer is ready' },
  print_stats: { state: 'standby', filename: FILE, message: '', print_duration: 0 },
  virtual_sdcard: { progress: 0 },
};

function scenario(initial: ObjectStatus = READY) {
  let now = START_TIME;
  let id = 0;
  const model = new PrinterStateModel({
    now: () => now,
    newEventId: () => `00000000-0000-4000-8000-${String(++id).padStart(12, '0')}`,
  });
  const events: BusinessEvent[] = [];
  const transitions: PrintStateTransition[] = [];
  model.detector.onPrintStateChange((transition) => transitions.push(transition));
  const feed = (...inputs: MoonrakerInput[]) => {
    for (const input of inputs) {
      now += 10;
      events.push(...model.ingest(input).events);
    }
    return events;
  };
  feed(snapshot(initial, 'subscribe'));
  return { model, events, transitions, feed };
}

function names(events: BusinessEvent[]): string[] {
  return events.map((event) => event.eventName);
}

function last(events: BusinessEvent[]): BusinessEvent | undefined {
  return events[events.length - 1];
}

const printing = printStats({ state: 'printing' });
const added = historyChanged('added', historyJob('0002E3', FILE, 'in_progress'));

describe('EventDetector', () => {
  describe('Klippy events', () => {
    it('reports a shutdown with its message', () => {
      const { feed } = scenario();
      const events = feed(
        statusUpdate({ webhooks: { state: 'shutdown', state_message: 'Lost MCU\nRestart' } }),
      );

      expect(names(events)).toEqual(['klippy:shutdown']);
      expect(events[0]?.message).toBe('Klippy shutdown: Lost MCU');
      expect(events[0]?.data).toEqual({ stateMessage: 'Lost MCU\nRestart' });
      expect(events[0]?.severity).toBe('critical');
    });

    it('reports a firmware restart as shutdown then ready', () => {
      const { feed } = scenario();
      const events = feed(
        notification('notify_klippy_disconnected', null),
        statusUpdate({ webhooks: { state: 'startup' } }),
        notification('notify_klippy_ready', null),
      );

      expect(names(events)).toEqual(['klippy:shutdown', 'klippy:ready']);
      expect(events[1]?.data).toEqual({ previousState: 'startup' });
    });

    it('reports an error state', () => {
      const { feed } = scenario();
      const events = feed(notification('notify_klippy_state', ['error']));

      expect(names(events)).toEqual(['klippy:error']);
      expect(events[0]?.message).toBe('Klippy error: Printer is ready');
    });

    it('reports a disconnect from ready', () => {
      const { feed } = scenario();
      const events = feed(statusUpdate({ webhooks: { state: 'startup', state_message: '' } }));

      expect(names(events)).toEqual(['klippy:disconnected']);
      expect(events[0]?.data).toEqual({ previousState: 'ready' });
    });

    it('stays silent on the first ready', () => {
      const { events } = scenario();

      expect(events).toEqual([]);
    });

    it('fabricates no event while Moonraker is unreachable', () => {
      const { feed } = scenario();
      const events = feed(availability(false, 'connection refused'), availability(true));

      expect(events).toEqual([]);
    });
  });

  describe('print events', () => {
    it('reports a start with the file and session', () => {
      const { feed } = scenario();
      const events = feed(printing);

      expect(names(events)).toEqual(['print:started']);
      expect(events[0]).toMatchObject({
        message: 'Print started: cube.gcode',
        occurredAt: '2026-01-01T12:00:00.143000Z',
        data: { filename: FILE },
      });
      expect(events[0]?.sessionId).toMatch(/^[0-9a-f]{40}$/);
    });

    it('reports a print found running on first contact', () => {
      const { events } = scenario({ ...READY, print_stats: { state: 'printing', filename: FILE } });

      expect(names(events)).toEqual(['print:started']);
    });

    it('reports pause and resume with progress', () => {
      const { feed } = scenario();
      const events = feed(
        printing,
        statusUpdate({ virtual_sdcard: { progress: 0.25 } }),
        printStats({ state: 'paused' }),
        printStats({ state: 'printing' }),
      );

      expect(names(events)).toEqual(['print:started', 'print:paused', 'print:resumed']);
      expect(events[1]?.data).toEqual({ filename: FILE, progressPercent: 25 });
    });

    it('reports completion with the final figures', () => {
      const { feed } = scenario();
      feed(printing, added);
      const events = feed(
        printStats({ state: 'complete', print_duration: 600.7, filament_used: 1234.5 }),
      );

      expect(last(events)).toMatchObject({
        eventName: 'print:completed',
        sessionId: 'job-0002E3',
        data: {
          filename: FILE,
          moonrakerJobId: '0002E3',
          printDuration: 600,
          filamentUsedMm: 1234.5,
          progressPercent: 100,
          endReason: 'completed',
        },
      });
    });

    it('keeps the progress reached before a cancel', () => {
      const { feed } = scenario();
      feed(printing, statusUpdate({ virtual_sdcard: { progress: 0.4 } }));
      const events = feed(
        statusUpdate({
          print_stats: { state: 'cancelled', message: 'Cancelled by user' },
          virtual_sdcard: { progress: 0 },
        }),
      );

      expect(last(events)?.data).toMatchObject({
        progressPercent: 40,
        endReason: 'cancelled:Cancelled by user',
      });
    });

    it('reports a failure with the error message', () => {
      const { feed } = scenario();
      feed(printing);
      const events = feed(printStats({ state: 'error', message: 'Move out of range:\n 1 2 3' }));

      expect(last(events)).toMatchObject({
        eventName: 'print:failed',
        severity: 'error',
        data: { error: 'Move out of range:\n 1 2 3', endReason: 'error:Move out of range: 1 2 3' },
      });
    });

    it('reports error:unknown without a message', () => {
      const { feed } = scenario();
      feed(printing);

      expect(last(feed(printStats({ state: 'error' })))?.data?.endReason).toBe('error:unknown');
    });

    it('reports a Klippy error during a job', () => {
      const { feed } = scenario();
      feed(printing, notification('notify_klippy_state', ['error', 'MCU error']));
      const events = feed(printStats({ state: 'error', message: 'x' }));

      expect(last(events)?.data).toMatchObject({
        error: 'MCU error',
        endReason: 'error:klippy_error',
      });
    });
  });

  describe('job boundaries', () => {
    it('announces one start when history follows print_stats', () => {
      const { feed } = scenario();

      expect(names(feed(printing, added))).toEqual(['print:started']);
    });

    it('announces one start when history comes first', () => {
      const { feed } = scenario();
      const events = feed(added, printing);

      expect(names(events)).toEqual(['print:started']);
      expect(events[0]?.sessionId).toBe('job-0002E3');
      expect(events[0]?.data?.moonrakerJobId).toBe('0002E3');
    });

    it('reports one terminal event when both sources end the job', () => {
      const { feed } = scenario();
      const events = feed(
        printing,
        added,
        printStats({ state: 'cancelled' }),
        historyChanged('finished', historyJob('0002E3', FILE, 'cancelled')),
      );

      expect(names(events)).toEqual(['print:started', 'print:cancelled']);
    });

    it('ends the job on the history when print_stats lags', () => {
      const { feed } = scenario();
      const events = feed(
        printing,
        added,
        historyChanged('finished', historyJob('0002E3', FILE, 'completed', { filament_used: 88 })),
        printStats({ state: 'complete' }),
      );

      expect(names(events)).toEqual(['print:started', 'print:completed']);
      expect(last(events)?.data?.filamentUsedMm).toBe(88);
    });

    it.each([
      ['klippy_shutdown', 'error:klippy_shutdown'],
      ['interrupted', 'error:interrupted'],
      ['server_exit', 'error:server_exit'],
    ])('fails a job the history finished as %s', (status, endReason) => {
      const { feed } = scenario();
      feed(printing, added);
      const events = feed(historyChanged('finished', historyJob('0002E3', FILE, status)));

      expect(last(events)?.eventName).toBe('print:failed');
      expect(last(events)?.data?.endReason).toBe(endReason);
    });

    it('ignores the end of another job', () => {
      const { feed } = scenario();
      feed(printing, added);
      const events = feed(historyChanged('finished', historyJob('0002E2', FILE, 'completed')));

      expect(names(events)).toEqual(['print:started']);
    });

    it('fails a job on a Klippy shutdown', () => {
      const { feed } = scenario();
      feed(printing, added);
      const events = feed(notification('notify_klippy_shutdown', ['Lost communication']));

      expect(names(events)).toEqual(['print:started', 'klippy:shutdown', 'print:failed']);
      expect(last(events)?.data).toMatchObject({
        error: 'Lost communication',
        endReason: 'error:klippy_shutdown',
      });
    });

    it('starts no print from stale data while shut down', () => {
      const { feed } = scenario();
      const events = feed(
        notification('notify_klippy_shutdown', null),
        snapshot({ print_stats: { state: 'printing' } }),
        added,
        notification('notify_klippy_ready', null),
        snapshot({ print_stats: { state: 'standby' } }),
      );

      expect(names(events)).toEqual(['klippy:shutdown', 'klippy:ready']);
    });

    it('starts a job that only the history reports', () => {
      const { feed } = scenario({ ...READY, print_stats: { state: 'standby', filename: '' } });
      const events = feed(added, snapshot({ print_stats: { state: 'standby' } }));

      expect(names(events)).toEqual(['print:started']);
      expect(events[0]?.message).toBe('Print started: cube.gcode');
    });

    it('closes an unobserved job when another file starts', () => {
      const { feed } = scenario();
      feed(printing, printStats({ state: 'standby' }));
      const events = feed(printStats({ state: 'printing', filename: 'other.gcode' }));

      expect(names(events)).toEqual(['print:started', 'print:failed', 'print:started']);
      expect(events[1]?.data).toMatchObject({ filename: FILE, endReason: 'error:unknown' });
      expect(events[2]?.data).toEqual({ filename: 'other.gcode' });
    });
  });

  describe('reset', () => {
    it('keeps the announced job after Moonraker restarts', () => {
      const { model, feed } = scenario();
      feed(printing, added);
      model.detector.reset();
      const events = feed(
        snapshot({ print_stats: { state: 'printing', filename: FILE } }, 'subscribe'),
        printStats({ state: 'complete' }),
      );

      expect(names(events)).toEqual(['print:started', 'print:completed']);
      expect(last(events)?.data?.moonrakerJobId).toBe('0002E3');
    });

    it('starts the next job after a restart', () => {
      const { model, feed } = scenario();
      feed(printing);
      model.detector.reset();
      const events = feed(snapshot({ print_stats: { state: 'printing', filename: 'b.gcode' } }));

      expect(names(events)).toEqual(['print:started', 'print:failed', 'print:started']);
    });

    it('is not needed for a repeated subscribe snapshot', () => {
      const { feed } = scenario();
      feed(printing);
      const events = feed(snapshot({ ...READY, print_stats: { state: 'printing' } }, 'subscribe'));

      expect(names(events)).toEqual(['print:started']);
    });
  });

  describe('onPrintStateChange', () => {
    it('reports every state change in order', () => {
      const { feed, transitions } = scenario();
      feed(printing, added, printStats({ state: 'paused' }), printStats({ state: 'cancelled' }));

      expect(transitions).toEqual([
        { state: 'standby', previousState: undefined },
        { state: 'printing', previousState: 'standby' },
        { state: 'paused', previousState: 'printing' },
        { state: 'cancelled', previousState: 'paused' },
      ]);
    });

    it('reports a change whose event the history already sent', () => {
      const { feed, transitions } = scenario();
      feed(printing, added, historyChanged('finished', historyJob('0002E3', FILE, 'cancelled')));
      feed(printStats({ state: 'cancelled' }));

      expect(last(transitions as never[])).toEqual({
        state: 'cancelled',
        previousState: 'printing',
      });
    });

    it('stops after dispose', () => {
      const { model, feed } = scenario();
      const seen: string[] = [];
      const registration = model.detector.onPrintStateChange((t) => seen.push(t.state));
      feed(printing);
      registration.dispose();
      feed(printStats({ state: 'paused' }));

      expect(seen).toEqual(['printing']);
    });

    it('keeps detecting when a listener throws', () => {
      const { model, feed, transitions } = scenario();
      model.detector.onPrintStateChange(() => {
        throw new Error('listener failed');
      });

      expect(names(feed(printing))).toEqual(['print:started']);
      expect(last(transitions as never[])).toMatchObject({ state: 'printing' });
    });
  });

  describe('tool changes', () => {
    it('reports an extruder change', () => {
      const { feed } = scenario({ ...READY, toolhead: { extruder: 'extruder' } });
      const events = feed(statusUpdate({ toolhead: { extruder: 'extruder1' } }));

      expect(names(events)).toEqual(['print:toolchange']);
      expect(events[0]?.data).toEqual({ from: 'extruder', to: 'extruder1' });
    });

    it('stays silent while Klippy is shut down', () => {
      const { feed } = scenario({ ...READY, toolhead: { extruder: 'extruder' } });
      feed(notification('notify_klippy_shutdown', null));
      const events = feed(statusUpdate({ toolhead: { extruder: 'extruder1' } }));

      expect(names(events)).toEqual(['klippy:shutdown']);
    });
  });

  describe('event items', () => {
    it('match the events schema', () => {
      const { feed } = scenario({ ...READY, toolhead: { extruder: 'extruder' } });
      const events = feed(
        printing,
        added,
        printStats({ state: 'paused' }),
        printStats({ state: 'printing' }),
        statusUpdate({ toolhead: { extruder: 'extruder1' } }),
        notification('notify_klippy_shutdown', null),
        notification('notify_klippy_ready', null),
      );

      expect(events.length).toBe(7);
      for (const event of events) {
        expect(businessEventSchema.safeParse(event).error).toBeUndefined();
      }
    });

    it('use UUIDv7 ids by default', () => {
      const model = new PrinterStateModel({ now: () => START_TIME });
      model.ingest(snapshot(READY, 'subscribe'));
      const [event] = model.ingest(printing).events;

      expect(event?.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-/);
    });
  });
});
