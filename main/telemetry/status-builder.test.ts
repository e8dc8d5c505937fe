import { describe, expect, it } from 'vitest';

import { statusPayloadSchema } from '../../shared/contract/status.js';
import type { MoonrakerInput, ObjectStatus } from '../moonraker/input.js';
import { contractKey } from './contract-key.js';
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

const CADENCE = { heartbeatSeconds: 60, watchWindowActive: false };
const START_TIME = Date.parse('2026-01-01T12:00:00Z');

const PRINTING: ObjectStatus = {
  webhooks: { state: 'ready', state_message: 'Printer is ready' },
  print_stats: {
    state: 'printing',
    filename: 'cube.gcode',
    message: '',
    print_duration: 120,
    info: { current_layer: 3, total_layer: 40 },
  },
  virtual_sdcard: { progress: 0.255 },
  display_status: { message: 'Layer 3' },
  idle_timeout: { state: 'Printing' },
  extruder: { temperature: 180, target: 215 },
  toolhead: { extruder: 'extruder' },
  gcode_move: { speed_factor: 1, extrude_factor: 1, homing_origin: [0, 0, 0, 0] },
};

function model(initial: ObjectStatus = PRINTING) {
  let now = START_TIME;
  const printer = new PrinterStateModel({ now: () => now });
  printer.ingest(snapshot(initial, 'subscribe'));
  return {
    printer,
    advance: (seconds: number) => (now += seconds * 1000),
    feed: (...inputs: MoonrakerInput[]) => inputs.forEach((input) => printer.ingest(input)),
    build: () => printer.status.build(CADENCE),
  };
}

describe('StatusBuilder', () => {
  describe('build', () => {
    it('builds the printing status', () => {
      const { feed, build } = model();
      feed(historyChanged('added', historyJob('0002E3', 'cube.gcode', 'in_progress')));

      expect(build()).toEqual({
        lifecycle: {
          phase: 'Printing',
          isHeating: true,
          hasActiveJob: true,
          isShutdown: false,
          reason: 'Layer 3',
        },
        toolhead: { activeExtruder: 'extruder', activeToolIndex: 0 },
        job: {
          sessionId: 'job-0002E3',
          moonrakerJobId: '0002E3',
          name: 'cube.gcode',
          progressPercent: 25,
          layers: { current: 3, total: 40 },
          progress: { elapsedSeconds: 120, estimatedTimeRemainingSeconds: 351 },
          message: 'Layer 3',
        },
        printParameters: { speedPercent: 100, flowPercent: 100, zOffsetMm: 0 },
        cadence: CADENCE,
        lastUpdated: '2026-01-01T12:00:00+00:00',
      });
    });

    it('matches the status schema', () => {
      const { build } = model();

      expect(statusPayloadSchema.safeParse(build()).error).toBeUndefined();
    });

    it('leaves the job out while idle', () => {
      const { build } = model({ print_stats: { state: 'complete', filename: 'cube.gcode' } });
      const status = build();

      expect(status.job).toBeUndefined();
      expect(status.lifecycle).toEqual({
        phase: 'Completed',
        isHeating: false,
        hasActiveJob: false,
        isShutdown: false,
      });
    });

    it('reports a shutdown as Error with its message', () => {
      const { feed, build } = model();
      feed(notification('notify_klippy_shutdown', ['Lost communication with MCU']));

      expect(build().lifecycle).toMatchObject({
        phase: 'Error',
        isShutdown: true,
        hasActiveJob: false,
        reason: 'Lost communication with MCU',
      });
    });

    it('pins Offline while Moonraker is unreachable', () => {
      const { feed, build } = model();
      feed(availability(false, 'connection refused'), statusUpdate({ extruder: { target: 0 } }));

      expect(build().lifecycle).toMatchObject({
        phase: 'Offline',
        reason: 'Moonraker unreachable: connection refused',
      });

      feed(availability(true));
      expect(build().lifecycle.phase).toBe('Printing');
    });

    it('falls back to the display message for the reason', () => {
      const { build } = model({
        print_stats: { state: 'standby', message: 'ready' },
        display_status: { message: 'Heating bed' },
      });

      expect(build().lifecycle.reason).toBe('Heating bed');
    });
  });

  describe('lastUpdated', () => {
    it('stays put while only time passes', () => {
      const { advance, feed, build } = model();
      const first = build();
      advance(30);
      feed(printStats({ print_duration: 150 }));
      const second = build();

      expect(second.job?.progress.elapsedSeconds).toBe(150);
      expect(second.lastUpdated).toBe(first.lastUpdated);
      expect(contractKey(second)).toBe(contractKey(first));
    });

    it('moves on a meaningful change', () => {
      const { advance, feed, build } = model();
      build();
      advance(30);
      feed(printStats({ state: 'paused' }));

      expect(build().lastUpdated).toBe('2026-01-01T12:00:30+00:00');
    });

    it('ignores the cadence block', () => {
      const { advance, printer, build } = model();
      build();
      advance(30);
      const watched = printer.status.build({ heartbeatSeconds: 60, watchWindowActive: true });

      expect(watched.lastUpdated).toBe('2026-01-01T12:00:00+00:00');
      expect(watched.cadence.watchWindowActive).toBe(true);
    });
  });
});
