import { describe, expect, it } from 'vitest';

import type { HealthLinkReport } from './health-levels.js';
import { HealthTimeline } from './health-timeline.js';

function lan(level: HealthLinkReport['level'], summary: string): HealthLinkReport {
  return { link: 'lan', level, summary };
}

describe('HealthTimeline', () => {
  describe('update', () => {
    it('keeps since while the level stays', () => {
      const timeline = new HealthTimeline();

      timeline.update([lan('offline', 'Moonraker is not answering')], 1_000);
      const [later] = timeline.update([lan('offline', 'Moonraker is not answering')], 5_000);

      expect(later?.since).toBe(1_000);
      expect(timeline.timeline()).toHaveLength(1);
    });

    it('moves since when the level changes', () => {
      const timeline = new HealthTimeline();

      timeline.update([lan('offline', 'Moonraker is not answering')], 1_000);
      const [later] = timeline.update([lan('ok', 'Reachable')], 5_000);

      expect(later?.since).toBe(5_000);
      expect(timeline.timeline().map((entry) => entry.level)).toEqual(['offline', 'ok']);
    });

    it('records a changed summary without moving since', () => {
      const timeline = new HealthTimeline();

      timeline.update([lan('error', 'Cannot resolve voron.local')], 1_000);
      const [later] = timeline.update([lan('error', 'No route to voron.local')], 2_000);

      expect(later?.since).toBe(1_000);
      expect(timeline.timeline().map((entry) => entry.summary)).toEqual([
        'Cannot resolve voron.local',
        'No route to voron.local',
      ]);
    });
  });

  describe('details', () => {
    it('records the details with each entry', () => {
      const timeline = new HealthTimeline();
      const details = { state: 'shutdown', stateMessage: 'MCU shutdown' };

      timeline.update(
        [{ link: 'klippy', level: 'error', summary: 'Klipper shut down', details }],
        1_000,
      );
      details.state = 'ready';

      expect(timeline.timeline()[0]?.details).toEqual({
        state: 'shutdown',
        stateMessage: 'MCU shutdown',
      });
    });

    it('leaves out details that a link has none of', () => {
      const timeline = new HealthTimeline();

      timeline.update([lan('ok', 'Reachable')], 1_000);

      expect(timeline.timeline()[0]).not.toHaveProperty('details');
    });
  });

  describe('timeline', () => {
    it('keeps the latest transitions of each link up to the limit', () => {
      const timeline = new HealthTimeline(3);
      for (let step = 0; step < 10; step += 1) {
        const level = step % 2 === 0 ? 'ok' : 'offline';
        timeline.update(
          [lan(level, `step ${step}`), { link: 'cloud', level: 'ok', summary: 'Connected' }],
          step,
        );
      }

      const entries = timeline.timeline();

      expect(entries.filter((entry) => entry.link === 'lan').map((entry) => entry.summary)).toEqual(
        ['step 7', 'step 8', 'step 9'],
      );
      expect(entries.filter((entry) => entry.link === 'cloud')).toHaveLength(1);
      expect(entries.map((entry) => entry.at)).toEqual([0, 7, 8, 9]);
    });
  });
});
