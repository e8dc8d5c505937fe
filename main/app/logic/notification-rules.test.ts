import { describe, expect, it } from 'vitest';

import type { HealthLink, PrinterSummary } from '../../../shared/control-api/printer-views.js';
import { notificationSettingsSchema } from '../../../shared/settings/app-settings.js';
import { printing, summary } from './__testing__/printer-summaries.js';
import { isCloudOutage, NotificationRules, type ShellNotification } from './notification-rules.js';
import { shellStrings } from './shell-strings.js';

const START = 1_000_000;
const AFTER_GRACE = START + 61_000;
const allOn = notificationSettingsSchema.parse({});
const en = shellStrings('en');
const zh = shellStrings('zh-CN');

/** Feeds summaries one second apart after the grace period and returns what `observe` returns. */
function run(rules: NotificationRules, summaries: PrinterSummary[], enabled = allOn) {
  return summaries.flatMap((item, index) =>
    rules.observe(item, enabled, AFTER_GRACE + index * 1000, en),
  );
}

/** Returns what `observe` returns and, once the group window is over, what `flush` returns. */
function runAndFlush(rules: NotificationRules, summaries: PrinterSummary[], enabled = allOn) {
  const found = run(rules, summaries, enabled);
  const at = rules.nextFlushAt;
  return at === undefined ? found : [...found, ...rules.flush(at, enabled, en)];
}

const klipperShutdown: HealthLink = {
  link: 'klippy',
  level: 'error',
  since: 0,
  summary: 'Klipper shut down',
};

function cloudFailure(code: string): HealthLink {
  return {
    link: 'cloud',
    level: 'error',
    since: 0,
    summary: 'Cannot reach Owl Cloud at owl.example.com; check the internet connection',
    details: { code, message: 'getaddrinfo ENOTFOUND owl.example.com' },
  };
}

/** A linked, idle printer whose cloud link fails with `code`. */
function cloudDown(id: string, code = 'cloud_unreachable'): PrinterSummary {
  return summary({ id, name: `printer-${id}`, overall: 'error', health: [cloudFailure(code)] });
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
      const rules = new NotificationRules({ startedAt: START });
      const found = runAndFlush(rules, [printing(50), failed, failed]);
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

    it('speaks Chinese', () => {
      const rules = new NotificationRules({ startedAt: START });
      rules.observe(printing(99), allOn, AFTER_GRACE, zh);
      const found = rules.observe(
        summary({ phase: 'Completed', job: { name: 'benchy.gcode' } }),
        allOn,
        AFTER_GRACE + 1000,
        zh,
      );
      expect(found).toEqual([
        {
          kind: 'printCompleted',
          printerId: 'p1',
          title: 'Voron 打印完成',
          body: 'benchy.gcode 已完成。',
        },
      ]);
    });

    it('treats the first summary as the baseline', () => {
      const rules = new NotificationRules({ startedAt: START });
      expect(runAndFlush(rules, [summary({ phase: 'Offline' })])).toEqual([]);
    });

    it('stays quiet during the start-up grace period', () => {
      const rules = new NotificationRules({ startedAt: START });
      rules.observe(summary(), allOn, START, en);
      expect(rules.observe(summary({ phase: 'Offline' }), allOn, START + 1000, en)).toEqual([]);
      expect(rules.observe(summary(), allOn, AFTER_GRACE, en)).toEqual([]);
      expect(rules.nextFlushAt).toBeUndefined();
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
      const rules = new NotificationRules({ startedAt: START });
      const found = runAndFlush(rules, [
        summary({ enabled: false }),
        summary({ enabled: false, phase: 'Offline' }),
      ]);
      expect(found).toEqual([]);
    });

    it('ignores unlinked printers', () => {
      const rules = new NotificationRules({ startedAt: START });
      const unlinked = { link: 'unlinked' as const, phase: undefined, standby: 'ready' as const };
      const found = runAndFlush(rules, [
        summary(unlinked),
        summary({ ...unlinked, standby: 'unreachable', overall: 'offline' }),
      ]);
      expect(found).toEqual([]);
    });
  });

  describe('flush', () => {
    it('announces a printer going offline after the window', () => {
      const rules = new NotificationRules({ startedAt: START });
      const immediate = run(rules, [
        summary(),
        summary({ phase: 'Offline' }),
        summary({ phase: 'Offline' }),
      ]);
      expect(immediate).toEqual([]);
      const at = rules.nextFlushAt ?? 0;
      expect(at).toBe(AFTER_GRACE + 1000 + 10_000);

      expect(rules.flush(at - 1, allOn, en)).toEqual([]);
      expect(rules.flush(at, allOn, en)).toEqual([
        {
          kind: 'printerOffline',
          printerId: 'p1',
          title: 'Voron is offline',
          body: 'Moonraker Owl cannot reach the printer.',
        },
      ]);
      expect(rules.nextFlushAt).toBeUndefined();
    });

    it('announces a printer needing attention', () => {
      const rules = new NotificationRules({ startedAt: START });
      const found = runAndFlush(rules, [
        summary(),
        summary({ overall: 'error', health: [klipperShutdown] }),
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

    it('drops a printer that recovered within the window', () => {
      const rules = new NotificationRules({ startedAt: START });
      const found = runAndFlush(rules, [summary(), summary({ phase: 'Offline' }), summary()]);
      expect(found).toEqual([]);
    });

    it('suppresses a flapping printer within the cooldown', () => {
      const rules = new NotificationRules({ startedAt: START, groupWindowMs: 0 });
      const found = [
        summary(),
        summary({ phase: 'Offline' }),
        summary(),
        summary({ phase: 'Offline' }),
      ].flatMap((item, index) => {
        const now = AFTER_GRACE + index * 1000;
        return [...rules.observe(item, allOn, now, en), ...rules.flush(now, allOn, en)];
      });
      expect(found.map((item) => item.kind)).toEqual(['printerOffline']);
    });

    it('announces again after the cooldown', () => {
      const rules = new NotificationRules({
        startedAt: START,
        repeatCooldownMs: 10_000,
        groupWindowMs: 0,
      });
      rules.observe(summary(), allOn, AFTER_GRACE, en);
      rules.observe(summary({ phase: 'Offline' }), allOn, AFTER_GRACE + 1000, en);
      const first = rules.flush(AFTER_GRACE + 1000, allOn, en);
      rules.observe(summary(), allOn, AFTER_GRACE + 2000, en);
      rules.observe(summary({ phase: 'Offline' }), allOn, AFTER_GRACE + 20_000, en);
      const second = rules.flush(AFTER_GRACE + 20_000, allOn, en);
      expect(first).toHaveLength(1);
      expect(second).toHaveLength(1);
    });

    it('skips a queued kind that the settings switch off', () => {
      const rules = new NotificationRules({ startedAt: START });
      const found = runAndFlush(rules, [summary(), summary({ phase: 'Offline' })], {
        ...allOn,
        printerOffline: false,
      });
      expect(found).toEqual([]);
    });
  });

  describe('many printers', () => {
    const fleet = Array.from({ length: 200 }, (_, index) => `p${index}`);

    /** 200 printers observed healthy, then changed by `change` over `spreadMs`. */
    function fleetEvent(change: (id: string) => PrinterSummary, spreadMs = 5_000) {
      const rules = new NotificationRules({ startedAt: START });
      for (const id of fleet) {
        rules.observe(summary({ id, name: `printer-${id}` }), allOn, AFTER_GRACE, en);
      }
      const immediate: ShellNotification[] = [];
      fleet.forEach((id, index) => {
        const now = AFTER_GRACE + 1000 + Math.floor((index * spreadMs) / fleet.length);
        immediate.push(...rules.observe(change(id), allOn, now, en));
      });
      return { rules, immediate };
    }

    it('sums up a cloud outage of 200 printers in one notification', () => {
      const { rules, immediate } = fleetEvent((id) => cloudDown(id));
      const flushed = rules.flush(rules.nextFlushAt ?? 0, allOn, en);

      expect(immediate).toEqual([]);
      expect(flushed).toEqual([
        {
          kind: 'needsAttention',
          title: 'Owl Cloud is unreachable',
          body: '200 printers are waiting to reconnect.',
        },
      ]);
    });

    it('sums up an unreachable broker the same way', () => {
      const { rules } = fleetEvent((id) => cloudDown(id, 'connect_timeout'));
      const flushed = rules.flush(rules.nextFlushAt ?? 0, allOn, en);
      expect(flushed).toHaveLength(1);
      expect(flushed[0]?.title).toBe('Owl Cloud is unreachable');
    });

    it('sums up a cloud outage in Chinese', () => {
      const { rules } = fleetEvent((id) => cloudDown(id));
      const flushed = rules.flush(rules.nextFlushAt ?? 0, allOn, zh);
      expect(flushed[0]?.title).toBe('无法连接 Owl 云');
      expect(flushed[0]?.body).toBe('200 台打印机正在等待重新连接。');
    });

    it('counts the printers still waiting when the window ends', () => {
      const { rules } = fleetEvent((id) => cloudDown(id));
      for (const id of fleet.slice(0, 50)) {
        rules.observe(summary({ id }), allOn, AFTER_GRACE + 7000, en);
      }
      const flushed = rules.flush(rules.nextFlushAt ?? 0, allOn, en);
      expect(flushed[0]?.body).toBe('150 printers are waiting to reconnect.');
    });

    it('sums up a single-printer outage too', () => {
      const rules = new NotificationRules({ startedAt: START });
      const found = runAndFlush(rules, [summary(), cloudDown('p1')]);
      expect(found).toEqual([
        {
          kind: 'needsAttention',
          title: 'Owl Cloud is unreachable',
          body: '1 printer is waiting to reconnect.',
        },
      ]);
    });

    it('announces a cloud outage once while it lasts', () => {
      const { rules } = fleetEvent((id) => cloudDown(id));
      rules.flush(rules.nextFlushAt ?? 0, allOn, en);

      // The broker accepts connections for a moment and fails again five minutes later.
      const later = AFTER_GRACE + 5 * 60_000;
      for (const id of fleet) rules.observe(summary({ id }), allOn, later, en);
      for (const id of fleet) rules.observe(cloudDown(id), allOn, later + 1000, en);
      expect(rules.flush(rules.nextFlushAt ?? 0, allOn, en)).toEqual([]);
    });

    it('sums up 200 printers going offline together', () => {
      const { rules, immediate } = fleetEvent((id) =>
        summary({ id, name: `printer-${id}`, phase: 'Offline' }),
      );
      const flushed = rules.flush(rules.nextFlushAt ?? 0, allOn, en);

      expect(immediate).toEqual([]);
      expect(flushed).toEqual([
        {
          kind: 'printerOffline',
          title: '200 printers are offline',
          body: 'printer-p0, printer-p1, printer-p2 and 197 more.',
        },
      ]);
    });

    it('sums up printers needing attention together', () => {
      const { rules } = fleetEvent((id) =>
        summary({ id, name: `printer-${id}`, overall: 'error', health: [klipperShutdown] }),
      );
      const flushed = rules.flush(rules.nextFlushAt ?? 0, allOn, en);
      expect(flushed).toHaveLength(1);
      expect(flushed[0]?.title).toBe('200 printers need attention');
    });

    it('announces two printers going offline one by one', () => {
      const rules = new NotificationRules({ startedAt: START });
      rules.observe(summary({ id: 'a', name: 'Alpha' }), allOn, AFTER_GRACE, en);
      rules.observe(summary({ id: 'b', name: 'Bravo' }), allOn, AFTER_GRACE, en);
      rules.observe(
        summary({ id: 'a', name: 'Alpha', phase: 'Offline' }),
        allOn,
        AFTER_GRACE + 1000,
        en,
      );
      rules.observe(
        summary({ id: 'b', name: 'Bravo', phase: 'Offline' }),
        allOn,
        AFTER_GRACE + 2000,
        en,
      );

      const flushed = rules.flush(rules.nextFlushAt ?? 0, allOn, en);
      expect(flushed.map((item) => item.title)).toEqual(['Alpha is offline', 'Bravo is offline']);
    });

    it('folds late printers into an earlier summary', () => {
      const { rules } = fleetEvent((id) => summary({ id, phase: 'Offline' }));
      rules.flush(rules.nextFlushAt ?? 0, allOn, en);

      rules.observe(summary({ id: 'late' }), allOn, AFTER_GRACE + 20_000, en);
      rules.observe(summary({ id: 'late', phase: 'Offline' }), allOn, AFTER_GRACE + 21_000, en);
      expect(rules.flush(rules.nextFlushAt ?? 0, allOn, en)).toEqual([]);
    });
  });

  describe('per-printer limit', () => {
    it('allows five notifications of one printer in ten minutes', () => {
      const rules = new NotificationRules({ startedAt: START, repeatCooldownMs: 0 });
      const found: ShellNotification[] = [];
      let now = AFTER_GRACE;
      rules.observe(summary(), allOn, now, en);
      // Eight short prints, each started, paused and finished within the ten minutes.
      for (let print = 0; print < 8; print += 1) {
        for (const next of [printing(10), printing(10, { phase: 'Paused' }), printing(90)]) {
          now += 10_000;
          found.push(...rules.observe(next, allOn, now, en));
        }
        now += 10_000;
        found.push(...rules.observe(summary({ phase: 'Completed' }), allOn, now, en));
      }
      expect(found.length).toBe(5);
    });

    it('allows more once the window has passed', () => {
      const rules = new NotificationRules({
        startedAt: START,
        repeatCooldownMs: 0,
        printerLimit: 1,
        printerWindowMs: 60_000,
      });
      rules.observe(printing(10), allOn, AFTER_GRACE, en);
      const first = rules.observe(printing(10, { phase: 'Paused' }), allOn, AFTER_GRACE + 1000, en);
      rules.observe(printing(10), allOn, AFTER_GRACE + 2000, en);
      const blocked = rules.observe(
        printing(10, { phase: 'Paused' }),
        allOn,
        AFTER_GRACE + 3000,
        en,
      );
      rules.observe(printing(10), allOn, AFTER_GRACE + 62_000, en);
      const again = rules.observe(
        printing(10, { phase: 'Paused' }),
        allOn,
        AFTER_GRACE + 63_000,
        en,
      );
      expect(first).toHaveLength(1);
      expect(blocked).toEqual([]);
      expect(again).toHaveLength(1);
    });
  });

  describe('forget', () => {
    it('makes the next summary a new baseline', () => {
      const rules = new NotificationRules({ startedAt: START });
      rules.observe(printing(99), allOn, AFTER_GRACE, en);
      rules.forget('p1');
      expect(rules.observe(summary({ phase: 'Completed' }), allOn, AFTER_GRACE + 1000, en)).toEqual(
        [],
      );
    });
  });
});

describe('isCloudOutage', () => {
  it('accepts an unreachable cloud or broker', () => {
    expect(isCloudOutage(cloudDown('p1', 'cloud_unreachable'))).toBe(true);
    expect(isCloudOutage(cloudDown('p1', 'connect_failed'))).toBe(true);
    expect(isCloudOutage(cloudDown('p1', 'connect_timeout'))).toBe(true);
  });

  it('rejects a failure of this printer alone', () => {
    expect(isCloudOutage(cloudDown('p1', 'device_unknown'))).toBe(false);
    expect(isCloudOutage(cloudDown('p1', 'token_rejected'))).toBe(false);
  });

  it('rejects a printer with its own problem too', () => {
    const printer = cloudDown('p1');
    expect(isCloudOutage({ ...printer, health: [klipperShutdown, ...printer.health] })).toBe(false);
    expect(isCloudOutage({ ...printer, phase: 'Error' })).toBe(false);
  });
});
