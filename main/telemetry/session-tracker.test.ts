import { createHash } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import type { MoonrakerInput, ObjectStatus } from '../moonraker/input.js';
import { SessionTracker } from './session-tracker.js';
import { StateStore } from './state-store.js';
import {
  historyChanged,
  historyJob,
  notification,
  printStats,
  snapshot,
  statusUpdate,
} from './__testing__/state-inputs.js';

const FILE = 'cube.gcode';
const FILE_HASH = createHash('sha1').update(FILE, 'utf8').digest('hex');

const METADATA_WAIT_MS = 10_000;

function tracked(status: ObjectStatus = {}, metadataWaitMs = 0) {
  let now = 0;
  const store = new StateStore();
  const session = new SessionTracker(store, { now: () => now, metadataWaitMs });
  const apply = (input: MoonrakerInput) => session.update(store.apply(input));
  const advance = (ms: number) => (now += ms);
  apply(snapshot(status, 'subscribe'));
  return { store, session, apply, advance };
}

describe('SessionTracker', () => {
  describe('session id', () => {
    it('is null outside jobs', () => {
      const { session } = tracked({ print_stats: { state: 'standby', filename: FILE } });

      expect(session.current().sessionId).toBeNull();
      expect(session.current().active).toBe(false);
    });

    it('hashes the filename until the history names the job', () => {
      const { session, apply } = tracked({ print_stats: { state: 'standby', filename: FILE } });
      apply(printStats({ state: 'printing' }));
      expect(session.current().sessionId).toBe(FILE_HASH);

      apply(historyChanged('added', historyJob('0002E3', FILE, 'in_progress')));
      expect(session.current().sessionId).toBe('job-0002E3');
      expect(session.current().moonrakerJobId).toBe('0002E3');
    });

    it('keeps the job id through pauses', () => {
      const { session, apply } = tracked({ print_stats: { state: 'printing', filename: FILE } });
      apply(historyChanged('added', historyJob('0002E3', FILE, 'in_progress')));
      apply(printStats({ state: 'paused' }));

      expect(session.current().sessionId).toBe('job-0002E3');
    });

    it('becomes null when the job ends', () => {
      const { session, apply } = tracked({ print_stats: { state: 'printing', filename: FILE } });
      apply(historyChanged('added', historyJob('0002E3', FILE, 'in_progress')));
      apply(printStats({ state: 'cancelled' }));

      expect(session.current().sessionId).toBeNull();
    });

    it('drops a finished job id when the next print starts', () => {
      const { session, apply } = tracked({ print_stats: { state: 'printing', filename: FILE } });
      apply(historyChanged('added', historyJob('0002E3', FILE, 'in_progress')));
      apply(printStats({ state: 'complete' }));
      apply(historyChanged('finished', historyJob('0002E3', FILE, 'completed')));
      apply(printStats({ state: 'printing' }));

      expect(session.current().sessionId).toBe(FILE_HASH);
      expect(session.current().moonrakerJobId).toBeUndefined();
    });

    it('counts a job added to the history as active', () => {
      const { session, apply } = tracked({ print_stats: { state: 'standby', filename: '' } });
      apply(historyChanged('added', historyJob('00032E', '4N/part.gcode', 'in_progress')));

      expect(session.current()).toMatchObject({
        active: true,
        sessionId: 'job-00032E',
        filename: '4N/part.gcode',
      });
    });

    it('ends a history-only job on a Klippy shutdown', () => {
      const { session, apply } = tracked({ print_stats: { state: 'standby', filename: '' } });
      apply(historyChanged('added', historyJob('00032E', '4N/part.gcode', 'in_progress')));
      apply(notification('notify_klippy_shutdown', null));
      apply(notification('notify_klippy_ready', null));

      expect(session.current().active).toBe(false);
      expect(session.current().sessionId).toBeNull();
    });
  });

  describe('progress', () => {
    const PRINTING_AT_6000 = {
      print_stats: { state: 'printing', filename: FILE },
      virtual_sdcard: { file_position: 6000, progress: 0.6 },
    };
    const BYTE_RANGE = { gcode_start_byte: 1000, gcode_end_byte: 21000 };

    it('uses the file position once metadata is known', () => {
      const { session, apply } = tracked(PRINTING_AT_6000, METADATA_WAIT_MS);
      expect(session.current().progressPercent).toBeUndefined();

      session.setFileMetadata(FILE, BYTE_RANGE);
      apply(statusUpdate({ virtual_sdcard: { file_position: 6000 } }));
      expect(session.current().progressPercent).toBe(25);
    });

    it('reads metadata from the history job of the same file', () => {
      const { session, apply } = tracked(
        {
          print_stats: { state: 'printing', filename: FILE },
          virtual_sdcard: { file_position: 11000, progress: 0.9 },
        },
        METADATA_WAIT_MS,
      );
      const metadata = { ...BYTE_RANGE, layer_count: 75 };
      apply(historyChanged('added', historyJob('0002E3', FILE, 'in_progress', { metadata })));

      expect(session.current().progressPercent).toBe(50);
      expect(session.current().layers).toEqual({ total: 75 });
    });

    it('falls back to virtual_sdcard.progress after the metadata wait', () => {
      const { session, apply, advance } = tracked(PRINTING_AT_6000, METADATA_WAIT_MS);
      advance(METADATA_WAIT_MS);
      apply(statusUpdate({ virtual_sdcard: { file_position: 6001 } }));

      expect(session.current().progressPercent).toBe(60);
    });

    it('stops waiting when the metadata could not be read', () => {
      const { session } = tracked(PRINTING_AT_6000, METADATA_WAIT_MS);
      session.setFileMetadata(FILE, {});

      expect(session.current().progressPercent).toBe(60);
    });

    it('uses the history metadata over a failed read', () => {
      const { session, apply } = tracked(PRINTING_AT_6000, METADATA_WAIT_MS);
      session.setFileMetadata(FILE, {});
      apply(
        historyChanged(
          'added',
          historyJob('0002E3', FILE, 'in_progress', { metadata: BYTE_RANGE }),
        ),
      );
      apply(statusUpdate({ virtual_sdcard: { file_position: 19000 } }));

      expect(session.current().progressPercent).toBe(90);
    });

    it('ignores a file position while no job is waiting for metadata', () => {
      const { session } = tracked(PRINTING_AT_6000);

      expect(session.current().progressPercent).toBe(60);
    });

    it('never goes backwards within a job', () => {
      const { session, apply } = tracked(PRINTING_AT_6000);
      session.setFileMetadata(FILE, BYTE_RANGE);
      expect(session.current().progressPercent).toBe(60);

      apply(statusUpdate({ virtual_sdcard: { file_position: 17000, progress: 0.8 } }));
      expect(session.current().progressPercent).toBe(80);
    });

    it('starts from the new progress when a new job starts', () => {
      const { session, apply } = tracked(PRINTING_AT_6000);
      apply(printStats({ state: 'complete' }));
      apply(statusUpdate({ virtual_sdcard: { file_position: 100, progress: 0.01 } }));
      apply(printStats({ state: 'printing' }));

      expect(session.current().progressPercent).toBe(1);
    });

    it('reports layers from print_stats.info', () => {
      const { session } = tracked({
        print_stats: { state: 'printing', info: { current_layer: 3, total_layer: 40 } },
      });

      expect(session.current().layers).toEqual({ current: 3, total: 40 });
    });
  });

  describe('remaining time', () => {
    it('estimates from print duration and progress', () => {
      const { session } = tracked({
        print_stats: { state: 'printing', filename: FILE, print_duration: 120 },
        virtual_sdcard: { progress: 0.25 },
      });

      expect(session.current().remainingSeconds).toBe(360);
    });

    it('averages in the filament estimate', () => {
      const { session } = tracked({
        print_stats: { state: 'printing', filename: FILE, print_duration: 100, filament_used: 50 },
        virtual_sdcard: { progress: 0.5 },
      });
      session.setFileMetadata(FILE, { filament_total: 200 });

      expect(session.current().remainingSeconds).toBe(200);
    });

    it('is unknown before printing starts', () => {
      const { session } = tracked({
        print_stats: { state: 'printing', filename: FILE, print_duration: 0 },
        virtual_sdcard: { progress: 0.05 },
      });

      expect(session.current().remainingSeconds).toBeUndefined();
    });
  });
});
