import { describe, expect, it } from 'vitest';

import type { PrinterSummary } from '../../../shared/control-api/printer-views.js';
import { notificationSettingsSchema } from '../../../shared/settings/app-settings.js';
import { printing, summary } from './__testing__/printer-summaries.js';
import { NotificationRules } from './notification-rules.js';

const START = 1_000_000;
const AFTER_GRACE = START + 61_000;
const allOn = notificationSettingsSchema.parse({});

/** Feeds summaries one second apart after the grace period and returns every notification. */
function run(rules: NotificationRules, summaries: PrinterSummary[], enabled = allOn) {
  return summaries.flatMap((item, index) =>
    rules.observe(item, enabled, AFTER_GRACE + index * 1000),
  );
}

describe('NotificationRules', () => {
  describe('observe', () => {
    it('announces a completed print', () => {
      const found = run(new NotificationRules({ startedAt: START }), [
        printing(99),
        summary({ phase: 'Completed', job: { name: 'benchy.gcode' } }),
      ]);
      expect(found).toEqual([
        {
          kind: 'printCompleted',
          printerId: 'p1',
          title: 'Voron finished',
          body: 'benchy.gcode is complete.',
        },
      ]);
    });

    it('announces a failed print once', () => {
      const failed = summary({
        phase: 'Error',
        overall: 'error',
        reason: 'Heater extruder not heating',
      });
      const found = run(new NotificationRules({ startedAt: START }), [
        printing(50),
        failed,
        failed,
      ]);
      expect(found.map((item) => item.kind)).toEqual(['printFailed']);
      expect(found[0]?.body).toBe('The print stopped: Heater extruder not heating');
    });

    it('announces a pause', () => {
      const found = run(new NotificationRules({ startedAt: START }), [
        printing(10),
        printing(10, { phase: 'Paused' }),
      ]);
      expect(found.map((item) => item.kind)).toEqual(['printPaused']);
    });

    it('announces a printer going offline', () => {
      const found = run(new NotificationRules({ startedAt: START }), [
        summary(),
        summary({ phase: 'Offline' }),
        summary({ phase: 'Offline' }),
      ]);
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ kind: 'printerOffline', title: 'Voron is offline' });
    });

    it('announces a printer needing attention', () => {
      const health = [
        {
          link: 'klippy' as const,
          level: 'error' as const,
          since: 0,
          summary: 'Klipper shut down',
        },
      ];
      const found = run(new NotificationRules({ startedAt: START }), [
        summary(),
        summary({ overall: 'error', health }),
      ]);
      expect(found).toEqual([
        {
          kind: 'needsAttention',
          printerId: 'p1',
          title: 'Voron needs attention',
          body: 'Klipper shut down',
        },
      ]);
    });

    it('treats the first summary as the baseline', () => {
      const found = run(new NotificationRules({ startedAt: START }), [
        summary({ phase: 'Offline' }),
      ]);
      expect(found).toEqual([]);
    });

    it('stays quiet during the start-up grace period', () => {
      const rules = new NotificationRules({ startedAt: START });
      rules.observe(summary(), allOn, START);
      expect(rules.observe(summary({ phase: 'Offline' }), allOn, START + 1000)).toEqual([]);
      expect(rules.observe(summary(), allOn, AFTER_GRACE)).toEqual([]);
    });

    it('skips kinds that the settings switch off', () => {
      const found = run(
        new NotificationRules({ startedAt: START }),
        [printing(99), summary({ phase: 'Completed' })],
        { ...allOn, printCompleted: false },
      );
      expect(found).toEqual([]);
    });

    it('ignores disabled printers', () => {
      const found = run(new NotificationRules({ startedAt: START }), [
        summary({ enabled: false }),
        summary({ enabled: false, phase: 'Offline' }),
      ]);
      expect(found).toEqual([]);
    });

    it('suppresses a flapping printer within the cooldown', () => {
      const found = run(new NotificationRules({ startedAt: START }), [
        summary(),
        summary({ phase: 'Offline' }),
        summary(),
        summary({ phase: 'Offline' }),
      ]);
      expect(found.map((item) => item.kind)).toEqual(['printerOffline']);
    });

    it('announces again after the cooldown', () => {
      const rules = new NotificationRules({ startedAt: START, repeatCooldownMs: 10_000 });
      rules.observe(summary(), allOn, AFTER_GRACE);
      const first = rules.observe(summary({ phase: 'Offline' }), allOn, AFTER_GRACE + 1000);
      rules.observe(summary(), allOn, AFTER_GRACE + 2000);
      const second = rules.observe(summary({ phase: 'Offline' }), allOn, AFTER_GRACE + 20_000);
      expect(first).toHaveLength(1);
      expect(second).toHaveLength(1);
    });
  });

  describe('forget', () => {
    it('makes the next summary a new baseline', () => {
      const rules = new NotificationRules({ startedAt: START });
      rules.observe(printing(99), allOn, AFTER_GRACE);
      rules.forget('p1');
      expect(rules.observe(summary({ phase: 'Completed' }), allOn, AFTER_GRACE + 1000)).toEqual([]);
    });
  });
});
