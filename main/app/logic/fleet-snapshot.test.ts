import { describe, expect, it } from 'vitest';

import { appSettingsSchema } from '../../../shared/settings/app-settings.js';
import { printing, summary } from './__testing__/printer-summaries.js';
import { FleetSnapshot } from './fleet-snapshot.js';

const settings = appSettingsSchema.parse({ version: 1 });

describe('FleetSnapshot', () => {
  describe('apply', () => {
    it('replaces a changed printer', () => {
      const snapshot = new FleetSnapshot(settings, [summary()]);
      expect(snapshot.apply('printer.changed', printing(20))).toBe(true);
      expect(snapshot.printers).toEqual([printing(20)]);
    });

    it('drops a removed printer', () => {
      const snapshot = new FleetSnapshot(settings, [summary()]);
      expect(snapshot.apply('printer.removed', { printerId: 'p1' })).toBe(true);
      expect(snapshot.printers).toEqual([]);
    });

    it('ignores other events', () => {
      const snapshot = new FleetSnapshot(settings, [summary()]);
      expect(snapshot.apply('discovery.changed', [])).toBe(false);
    });
  });
});
