import { describe, expect, it } from 'vitest';

import type { PrinterSummary } from '../../../shared/control-api/printer-views.js';
import { printing, summary } from './__testing__/printer-summaries.js';
import { shellStrings } from './shell-strings.js';
import {
  buildTrayModel,
  MAX_TRAY_PRINTERS,
  trayTooltip,
  type TrayMenuItem,
  type TrayModelInput,
} from './tray-model.js';

const en = shellStrings('en');
const zh = shellStrings('zh-CN');

const base: TrayModelInput = {
  printers: [],
  theme: 'light',
  startAtLogin: false,
  update: { phase: 'idle' },
  strings: en,
};

function labels(menu: readonly TrayMenuItem[]): string[] {
  return menu.map((entry) => (entry.type === 'separator' ? '-' : entry.label));
}

/** Returns the menu label of one printer on its own. */
function labelOf(printer: PrinterSummary, strings = en): string {
  const [first] = buildTrayModel({ ...base, printers: [printer], strings }).menu;
  return first?.type === 'item' ? first.label : '';
}

describe('buildTrayModel', () => {
  describe('icon', () => {
    it('shows idle for an empty fleet', () => {
      expect(buildTrayModel(base).iconName).toBe('tray-idle-light');
    });

    it('shows printing when one printer prints', () => {
      const model = buildTrayModel({ ...base, printers: [summary(), printing(10, { id: 'p2' })] });
      expect(model.condition).toBe('printing');
    });

    it('prefers attention over printing', () => {
      const printers = [printing(10), summary({ id: 'p2', phase: 'Paused' })];
      expect(buildTrayModel({ ...base, printers }).condition).toBe('attention');
    });

    it('treats an error health level as attention', () => {
      const printers = [summary({ overall: 'error' })];
      expect(buildTrayModel({ ...base, printers }).condition).toBe('attention');
    });

    it('shows offline as the worst condition', () => {
      const printers = [summary({ phase: 'Error' }), summary({ id: 'p2', phase: 'Offline' })];
      expect(buildTrayModel({ ...base, printers }).condition).toBe('offline');
    });

    it('ignores disabled printers', () => {
      const printers = [summary({ enabled: false, phase: 'Offline' })];
      expect(buildTrayModel({ ...base, printers }).condition).toBe('idle');
    });

    it('ignores unlinked printers', () => {
      const printers = [
        summary({ link: 'unlinked', standby: 'unreachable', overall: 'offline', phase: undefined }),
      ];
      expect(buildTrayModel({ ...base, printers }).condition).toBe('idle');
    });

    it('picks the dark variant for a dark theme', () => {
      const model = buildTrayModel({ ...base, theme: 'dark', printers: [printing(5)] });
      expect(model.iconName).toBe('tray-printing-dark');
    });
  });

  describe('menu', () => {
    it('lists each printer with status and progress', () => {
      const printers = [printing(42.4), summary({ id: 'p2', name: 'Ender', phase: 'Offline' })];
      const model = buildTrayModel({ ...base, printers });
      expect(model.menu[0]).toMatchObject({ label: 'Ender: Offline' });
      expect(model.menu[1]).toEqual({
        type: 'item',
        label: 'Voron: Printing 42%',
        enabled: true,
        action: { kind: 'open-printer', printerId: 'p1' },
      });
    });

    it('names unlinked and disabled printers', () => {
      const unlinked = { link: 'unlinked' as const, phase: undefined };
      expect(labelOf(summary({ ...unlinked, standby: 'ready_to_link' }))).toBe('Voron: Not linked');
      expect(labelOf(summary({ ...unlinked, standby: 'checking' }))).toBe('Voron: Not linked');
      expect(labelOf(summary({ ...unlinked, standby: 'unreachable' }))).toBe(
        'Voron: Not linked, unreachable',
      );
      expect(labelOf(summary({ ...unlinked, standby: 'needs_api_key' }))).toBe(
        'Voron: Not linked, needs API key',
      );
      expect(labelOf(summary({ link: 'linking', phase: undefined }))).toBe('Voron: Linking');
      expect(labelOf(summary({ enabled: false, standby: 'ready' }))).toBe('Voron: Disabled');
    });

    it('says connecting only for a bridged printer without status', () => {
      expect(labelOf(summary({ phase: undefined }))).toBe('Voron: Connecting');
      expect(labelOf(summary({ phase: undefined, overall: 'error' }))).toBe(
        'Voron: Needs attention',
      );
    });

    it('speaks Chinese', () => {
      expect(labelOf(printing(42.4), zh)).toBe('Voron：打印中 42%');
      expect(labelOf(summary({ link: 'unlinked', phase: undefined }), zh)).toBe('Voron：未关联');
      const menu = labels(buildTrayModel({ ...base, strings: zh }).menu);
      expect(menu).toEqual([
        '还没有打印机',
        '-',
        '打开 Moonraker Owl',
        '登录时启动',
        '检查更新…',
        '-',
        '退出',
      ]);
    });

    it('caps a fleet of 200 printers', () => {
      const printers = Array.from({ length: 200 }, (_, index) =>
        summary({ id: `p${index}`, name: `printer-${index}` }),
      );
      const menu = buildTrayModel({ ...base, printers }).menu;
      const printerEntries = menu.filter(
        (entry) => entry.type === 'item' && entry.action?.kind === 'open-printer',
      );
      expect(printerEntries).toHaveLength(MAX_TRAY_PRINTERS);
      expect(menu[MAX_TRAY_PRINTERS]).toEqual({
        type: 'item',
        label: '185 more… (Open)',
        enabled: true,
        action: { kind: 'open' },
      });
      // The printers, the "more" item, then open, login, updates and quit with two separators.
      expect(menu.length).toBe(MAX_TRAY_PRINTERS + 1 + 6);
    });

    it('lists attention first, then printing', () => {
      const printers = [
        ...Array.from({ length: 20 }, (_, index) =>
          summary({ id: `idle-${index}`, name: `idle-${index}` }),
        ),
        printing(10, { id: 'print-b', name: 'Bravo' }),
        summary({ id: 'error', name: 'Zulu', phase: 'Error' }),
        summary({ id: 'off', name: 'Yankee', phase: 'Offline' }),
        printing(50, { id: 'print-a', name: 'Alpha' }),
        summary({ id: 'unlinked', name: 'Aardvark', link: 'unlinked', phase: undefined }),
      ];
      const shown = labels(buildTrayModel({ ...base, printers }).menu).slice(0, 6);
      expect(shown).toEqual([
        'Zulu: Error',
        'Yankee: Offline',
        'Alpha: Printing 50%',
        'Bravo: Printing 10%',
        'idle-0: Idle',
        'idle-1: Idle',
      ]);
    });

    it('sorts numbered names by number', () => {
      const printers = [
        summary({ id: 'a', name: 'printer-10' }),
        summary({ id: 'b', name: 'printer-2' }),
      ];
      expect(labels(buildTrayModel({ ...base, printers }).menu).slice(0, 2)).toEqual([
        'printer-2: Idle',
        'printer-10: Idle',
      ]);
    });

    it('shows a placeholder without printers', () => {
      expect(buildTrayModel(base).menu[0]).toEqual({
        type: 'item',
        label: 'No printers yet',
        enabled: false,
      });
    });

    it('checks start at login when enabled', () => {
      const model = buildTrayModel({ ...base, startAtLogin: true });
      const item = model.menu.find((entry) => entry.type === 'checkbox');
      expect(item).toMatchObject({ label: 'Start at login', checked: true });
    });

    it('offers a restart once an update is downloaded', () => {
      const model = buildTrayModel({ ...base, update: { phase: 'downloaded', version: '0.2.0' } });
      expect(labels(model.menu)).toContain('Restart to update to 0.2.0');
      expect(labels(model.menu)).not.toContain('Check for updates…');
    });

    it('disables the update item while downloading', () => {
      const model = buildTrayModel({ ...base, update: { phase: 'downloading', percent: 40 } });
      expect(model.menu).toContainEqual({
        type: 'item',
        label: 'Downloading update 40%',
        enabled: false,
      });
    });

    it('ends with open, updates and quit', () => {
      const actions = buildTrayModel(base).menu.flatMap((entry) =>
        entry.type !== 'separator' && entry.action ? [entry.action.kind] : [],
      );
      expect(actions).toEqual(['open', 'toggle-start-at-login', 'check-for-updates', 'quit']);
    });
  });
});

describe('trayTooltip', () => {
  it('counts printers by condition', () => {
    const printers = [
      printing(1),
      printing(2, { id: 'p2' }),
      summary({ id: 'p3', phase: 'Offline' }),
      summary({ id: 'p4', phase: 'Error' }),
    ];
    expect(trayTooltip(printers, en)).toBe(
      'Moonraker Owl: 1 needs attention, 1 offline, 2 printing',
    );
    expect(trayTooltip(printers, zh)).toBe('Moonraker Owl：1 台需要处理，1 台离线，2 台打印中');
  });

  it('names an empty fleet', () => {
    expect(trayTooltip([], en)).toBe('Moonraker Owl: no active printers');
  });

  it('stays within 127 characters', () => {
    const printers = Array.from({ length: 200 }, (_, index) =>
      summary({ id: `p${index}`, phase: index % 2 === 0 ? 'Error' : 'Printing' }),
    );
    expect(trayTooltip(printers, en).length).toBeLessThanOrEqual(127);
  });
});
