import { describe, expect, it } from 'vitest';

import { printing, summary } from './__testing__/printer-summaries.js';
import { buildTrayModel, trayTooltip, type TrayModelInput } from './tray-model.js';

const base: TrayModelInput = {
  printers: [],
  theme: 'light',
  startAtLogin: false,
  update: { phase: 'idle' },
};

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

    it('picks the dark variant for a dark theme', () => {
      const model = buildTrayModel({ ...base, theme: 'dark', printers: [printing(5)] });
      expect(model.iconName).toBe('tray-printing-dark');
    });
  });

  describe('menu', () => {
    it('lists each printer with status and progress', () => {
      const printers = [printing(42.4), summary({ id: 'p2', name: 'Ender', phase: 'Offline' })];
      const model = buildTrayModel({ ...base, printers });
      expect(model.menu[0]).toEqual({
        type: 'item',
        label: 'Voron: Printing 42%',
        enabled: true,
        action: { kind: 'open-printer', printerId: 'p1' },
      });
      expect(model.menu[1]).toMatchObject({ label: 'Ender: Offline' });
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
      const labels = model.menu.map((entry) => (entry.type === 'separator' ? '-' : entry.label));
      expect(labels).toContain('Restart to update to 0.2.0');
      expect(labels).not.toContain('Check for updates…');
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
    expect(trayTooltip(printers)).toBe('Moonraker Owl: 1 needs attention, 1 offline, 2 printing');
  });

  it('names an empty fleet', () => {
    expect(trayTooltip([])).toBe('Moonraker Owl: no active printers');
  });
});
