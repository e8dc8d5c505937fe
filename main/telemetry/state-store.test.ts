import { describe, expect, it } from 'vitest';

import { fieldChanged, HISTORY_SECTION, PRINTER_SECTION, StateStore } from './state-store.js';
import {
  availability,
  historyChanged,
  historyJob,
  notification,
  snapshot,
  statusUpdate,
} from './__testing__/state-inputs.js';

const SHUTDOWN_TEXT = 'Shutdown due to webhooks request\nPrinter is shutdown\n';

function readyStore(): StateStore {
  const store = new StateStore();
  store.apply(
    snapshot(
      {
        print_stats: { state: 'printing', filename: 'cube.gcode', message: '' },
        webhooks: { state: 'ready', state_message: 'Printer is ready' },
        display_status: { message: 'Layer 3' },
      },
      'subscribe',
    ),
  );
  return store;
}

describe('StateStore', () => {
  describe('apply', () => {
    it('deep-merges status updates', () => {
      const store = new StateStore();
      store.apply(statusUpdate({ print_stats: { state: 'standby', info: { total_layer: 10 } } }));
      const change = store.apply(statusUpdate({ print_stats: { info: { current_layer: 2 } } }));

      expect(store.get('print_stats')).toEqual({
        state: 'standby',
        info: { total_layer: 10, current_layer: 2 },
      });
      expect([...(change.fields.get('print_stats') ?? [])]).toEqual(['info']);
    });

    it('records no field when a value repeats', () => {
      const store = new StateStore();
      store.apply(statusUpdate({ extruder: { temperature: 21.5 } }));
      const change = store.apply(statusUpdate({ extruder: { temperature: 21.5 } }));

      expect(change.fields.size).toBe(0);
    });

    it('replaces arrays instead of merging them', () => {
      const store = new StateStore();
      store.apply(statusUpdate({ gcode_move: { homing_origin: [0, 0, 0.2, 0] } }));
      store.apply(statusUpdate({ gcode_move: { homing_origin: [0, 0, 0.1] } }));

      expect(store.get('gcode_move')?.homing_origin).toEqual([0, 0, 0.1]);
    });

    it('merges snapshots like updates', () => {
      const store = readyStore();
      const change = store.apply(snapshot({ print_stats: { state: 'paused' } }));

      expect(store.get('print_stats')).toMatchObject({ state: 'paused', filename: 'cube.gcode' });
      expect(change.source).toBe('snapshot');
      expect(fieldChanged(change, 'print_stats', 'state')).toBe(true);
    });

    it('hands out frozen values', () => {
      const store = readyStore();
      const printStats = store.get('print_stats');

      expect(Object.isFrozen(printStats)).toBe(true);
      expect(() => {
        (printStats as Record<string, unknown>).state = 'error';
      }).toThrow(TypeError);
    });

    it('keeps input objects unfrozen', () => {
      const objects = { toolhead: { extruder: 'extruder' } };
      new StateStore().apply(statusUpdate(objects));

      expect(Object.isFrozen(objects.toolhead)).toBe(false);
    });

    it.each(['notify_gcode_response', 'notify_proc_stat_update', 'notify_timelapse_event'])(
      'leaves the store alone for %s',
      (method) => {
        const store = new StateStore();
        const change = store.apply(notification(method, [{ cpu_temp: 41.2 }]));

        expect(store.objectNames()).toEqual([]);
        expect(change.fields.size).toBe(0);
      },
    );

    it('rejects a malformed status update', () => {
      const store = new StateStore();
      const change = store.apply(notification('notify_status_update', ['not objects']));

      expect(change.rejected).toBe('notify_status_update params are not [objects, eventtime]');
      expect(store.objectNames()).toEqual([]);
    });

    it('merges notify_print_stats_update into print_stats', () => {
      const store = readyStore();
      store.apply(notification('notify_print_stats_update', [{ print_duration: 12 }]));

      expect(store.get('print_stats')).toMatchObject({ state: 'printing', print_duration: 12 });
    });
  });

  describe('Klippy shutdown', () => {
    it('synthesises the shutdown condition', () => {
      const store = readyStore();
      const change = store.apply(notification('notify_klippy_shutdown', null));

      expect(store.get(PRINTER_SECTION)).toEqual({
        state: 'shutdown',
        is_shutdown: true,
        state_message: 'Klippy reported shutdown',
      });
      expect(store.get('webhooks')).toEqual({
        state: 'shutdown',
        state_message: 'Klippy reported shutdown',
      });
      expect(store.get('print_stats')).toMatchObject({
        state: 'error',
        message: 'Klippy reported shutdown',
      });
      expect(store.get('display_status')?.message).toBe('Klippy reported shutdown');
      expect(change.klippyShutdown).toBe(true);
    });

    it('follows webhooks.state shutdown from a status update', () => {
      const store = readyStore();
      const change = store.apply(
        statusUpdate({ webhooks: { state: 'shutdown', state_message: SHUTDOWN_TEXT } }),
      );

      expect(store.get(PRINTER_SECTION)?.state_message).toBe(SHUTDOWN_TEXT.trim());
      expect(store.get('print_stats')?.state).toBe('error');
      expect(change.klippyShutdown).toBe(true);
    });

    it('keeps the message on a bare repeat notification', () => {
      const store = readyStore();
      store.apply(statusUpdate({ webhooks: { state: 'shutdown', state_message: SHUTDOWN_TEXT } }));
      const change = store.apply(notification('notify_klippy_shutdown', null));

      expect(store.get(PRINTER_SECTION)?.state_message).toBe(SHUTDOWN_TEXT.trim());
      expect(change.fields.size).toBe(0);
      expect(change.klippyShutdown).toBe(true);
    });

    it.each([
      ['notify_klippy_disconnected', 'Klippy disconnected from Moonraker'],
      ['notify_mcu_shutdown', 'MCU shutdown'],
    ])('marks %s as a shutdown', (method, detail) => {
      const store = readyStore();
      store.apply(notification(method, null));

      expect(store.get(PRINTER_SECTION)).toMatchObject({
        is_shutdown: true,
        state_message: detail,
      });
    });

    it('takes the detail from the params', () => {
      const store = readyStore();
      store.apply(notification('notify_mcu_shutdown', [{ message: 'Timer too close' }]));

      expect(store.get(PRINTER_SECTION)?.state_message).toBe('Timer too close');
    });
  });

  describe('Klippy ready', () => {
    it('clears the shutdown but keeps print_stats', () => {
      const store = readyStore();
      store.apply(notification('notify_klippy_shutdown', null));
      const change = store.apply(notification('notify_klippy_ready', null));

      expect(store.get(PRINTER_SECTION)).toMatchObject({ is_shutdown: false, state: 'ready' });
      expect(store.get('webhooks')).toEqual({ state: 'ready', state_message: 'Klippy ready' });
      expect(store.get('display_status')?.message).toBeNull();
      expect(store.get('print_stats')).toMatchObject({ state: 'error', filename: 'cube.gcode' });
      expect(change.klippyReady).toBe(true);
    });

    it('clears the shutdown when webhooks reports ready', () => {
      const store = readyStore();
      store.apply(notification('notify_klippy_shutdown', null));
      const change = store.apply(snapshot({ webhooks: { state: 'ready', state_message: 'ok' } }));

      expect(store.get(PRINTER_SECTION)?.is_shutdown).toBe(false);
      expect(change.klippyReady).toBe(true);
    });
  });

  describe('notify_klippy_state', () => {
    it('marks ready and shutdown', () => {
      const store = readyStore();
      store.apply(notification('notify_klippy_state', ['shutdown']));
      expect(store.get(PRINTER_SECTION)?.is_shutdown).toBe(true);

      store.apply(notification('notify_klippy_state', ['ready']));
      expect(store.get(PRINTER_SECTION)?.is_shutdown).toBe(false);
    });

    it('writes error to webhooks without a shutdown', () => {
      const store = readyStore();
      store.apply(notification('notify_klippy_state', ['error', 'Config error']));

      expect(store.get('webhooks')).toEqual({ state: 'error', state_message: 'Config error' });
      expect(store.get(PRINTER_SECTION)).toBeUndefined();
    });

    it('rejects a missing state', () => {
      const change = new StateStore().apply(notification('notify_klippy_state', []));

      expect(change.rejected).toBe('notify_klippy_state has no state parameter');
    });
  });

  describe('history', () => {
    it('replaces the section on a new action', () => {
      const store = new StateStore();
      store.apply(historyChanged('added', historyJob('0002E3', 'cube.gcode', 'in_progress')));
      const change = store.apply(historyChanged('finished', { job_id: '0002E3', status: 'done' }));

      expect(store.get(HISTORY_SECTION)).toEqual({
        action: 'finished',
        job: { job_id: '0002E3', status: 'done' },
      });
      expect(change.historyChanged).toBe(true);
    });

    it('merges a repeat of the same action', () => {
      const store = new StateStore();
      store.apply(historyChanged('added', historyJob('0002E3', 'cube.gcode', 'in_progress')));
      store.apply(historyChanged('added', { print_duration: 5 }));

      expect(store.get(HISTORY_SECTION)?.job).toMatchObject({
        job_id: '0002E3',
        print_duration: 5,
      });
    });
  });

  describe('availability', () => {
    it('pins an unreachable condition until Moonraker returns', () => {
      const store = readyStore();
      const lost = store.apply(availability(false, 'connection refused'));
      const still = store.apply(statusUpdate({ extruder: { temperature: 30 } }));

      expect(lost.availabilityChanged).toBe(true);
      expect(still.availabilityChanged).toBe(false);
      expect(store.moonrakerUnavailable).toBe('connection refused');

      const back = store.apply(availability(true));
      expect(back.availabilityChanged).toBe(true);
      expect(store.moonrakerUnavailable).toBeNull();
    });

    it('fabricates no Klippy state', () => {
      const store = readyStore();
      const change = store.apply(availability(false, 'timed out'));

      expect(store.get('webhooks')?.state).toBe('ready');
      expect(store.get(PRINTER_SECTION)).toBeUndefined();
      expect(change.fields.size).toBe(0);
    });
  });
});
