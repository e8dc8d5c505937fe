import { describe, expect, it } from 'vitest';
import { StatusSubscription } from './status-subscription.js';

const current = {
  print_stats: {
    state: 'printing',
    filename: 'a.gcode',
    info: { total_layer: 10, current_layer: 1 },
  },
  extruder: { temperature: 200.5, target: 210 },
  webhooks: { state: 'ready', state_message: 'Printer is ready' },
};

describe('StatusSubscription', () => {
  describe('replace', () => {
    it('answers with the selected fields only', () => {
      const subscription = new StatusSubscription();

      const answer = subscription.replace(
        { print_stats: ['state'], extruder: null, missing: null },
        current,
      );

      expect(answer).toEqual({
        print_stats: { state: 'printing' },
        extruder: { temperature: 200.5, target: 210 },
      });
    });

    it('drops the previous selection', () => {
      const subscription = new StatusSubscription();
      subscription.replace({ extruder: null }, current);

      subscription.replace({ webhooks: ['state'] }, current);

      expect(
        subscription.takeChanges({ ...current, extruder: { temperature: 1, target: 0 } }),
      ).toBeUndefined();
    });
  });

  describe('takeChanges', () => {
    it('returns only changed fields', () => {
      const subscription = new StatusSubscription();
      subscription.replace({ print_stats: null, extruder: ['temperature'] }, current);
      const next = {
        ...current,
        print_stats: { ...current.print_stats, info: { total_layer: 10, current_layer: 2 } },
        extruder: { temperature: 201, target: 0 },
      };

      expect(subscription.takeChanges(next)).toEqual({
        print_stats: { info: { total_layer: 10, current_layer: 2 } },
        extruder: { temperature: 201 },
      });
      expect(subscription.takeChanges(next)).toBeUndefined();
    });

    it('returns nothing once cleared', () => {
      const subscription = new StatusSubscription();
      subscription.replace({ extruder: null }, current);

      subscription.clear();

      expect(subscription.isEmpty).toBe(true);
      expect(subscription.takeChanges({ extruder: { temperature: 5 } })).toBeUndefined();
    });
  });

  describe('filterUpdate', () => {
    it('returns a fully subscribed update unchanged', () => {
      const subscription = new StatusSubscription();
      subscription.replace({ print_stats: null, extruder: ['temperature'] }, current);
      const update = { print_stats: { state: 'paused' }, extruder: { temperature: 190 } };

      expect(subscription.filterUpdate(update)).toBe(update);
    });

    it('cuts an update down to the subscribed fields', () => {
      const subscription = new StatusSubscription();
      subscription.replace({ print_stats: ['state'] }, current);

      const kept = subscription.filterUpdate({
        print_stats: { state: 'paused', total_duration: 3 },
        gcode_move: { speed: 1 },
      });

      expect(kept).toEqual({ print_stats: { state: 'paused' } });
    });

    it('returns undefined for unsubscribed updates', () => {
      const subscription = new StatusSubscription();
      subscription.replace({ print_stats: ['state'] }, current);

      expect(subscription.filterUpdate({ print_stats: { total_duration: 3 } })).toBeUndefined();
    });
  });
});
