import { afterEach, describe, expect, it } from 'vitest';

import { eventsPayloadSchema } from '../../shared/contract/events.js';
import { FakeClock } from '../../test/support/fake-clock.js';
import { EventLimiter } from './event-limiter.js';
import { EventsBuilder } from './events-builder.js';

describe('EventsBuilder', () => {
  const clock = new FakeClock();
  let limiter = new EventLimiter({ clock });

  afterEach(() => {
    limiter.dispose();
    limiter = new EventLimiter({ clock });
  });

  describe('build', () => {
    it('returns undefined without items', () => {
      expect(new EventsBuilder(limiter).build()).toBeUndefined();
    });

    it('wraps business events with the cadence block', () => {
      limiter.addEvent({
        eventId: '00000000-0000-7000-8000-000000000001',
        eventName: 'print:started',
        severity: 'info',
        message: 'Print started: demo.gcode',
        occurredAt: '2026-01-01T12:00:00.000000Z',
        data: { filename: 'demo.gcode' },
      });
      const payload = new EventsBuilder(limiter).build();

      expect(eventsPayloadSchema.safeParse(payload).success).toBe(true);
      expect(payload?.cadence).toEqual({ maxPerSecond: 1, maxPerMinute: 20 });
      expect(payload?.items).toHaveLength(1);
    });

    it('echoes configured cadence numbers', () => {
      limiter.addCommandState({
        eventName: 'system:command-state',
        severity: 'info',
        occurredAt: '2026-01-01T12:00:00+00:00',
        data: { commandId: 'c-1', commandType: 'print:pause', state: 'accepted' },
      });
      const builder = new EventsBuilder(limiter, { maxPerSecond: 3 });
      builder.setCadence({ maxPerMinute: 40 });

      expect(builder.build()?.cadence).toEqual({ maxPerSecond: 3, maxPerMinute: 40 });
    });
  });
});
