import { afterEach, describe, expect, it } from 'vitest';

import type {
  BusinessEvent,
  BusinessEventName,
  CommandStateItem,
} from '../../shared/contract/events.js';
import { FakeClock } from '../../test/support/fake-clock.js';
import { EventLimiter } from './event-limiter.js';

let counter = 0;

function event(eventName: BusinessEventName, message: string = eventName): BusinessEvent {
  counter += 1;
  const id = counter.toString(16).padStart(12, '0');
  return {
    eventId: `00000000-0000-7000-8000-${id}`,
    eventName,
    severity: 'info',
    message,
    occurredAt: '2026-01-01T12:00:00.000000Z',
  };
}

function commandState(commandId: string): CommandStateItem {
  return {
    eventName: 'system:command-state',
    severity: 'info',
    occurredAt: '2026-01-01T12:00:00+00:00',
    data: { commandId, commandType: 'print:pause', state: 'accepted' },
  };
}

function messages(items: ReturnType<EventLimiter['harvest']>): string[] {
  return items.map((item) => ('message' in item ? item.message : item.data.commandId));
}

describe('EventLimiter', () => {
  let clock: FakeClock;
  let limiter: EventLimiter;

  function setUp(): void {
    clock = new FakeClock();
    limiter = new EventLimiter({ clock });
  }

  afterEach(() => {
    limiter.dispose();
    expect(clock.pendingTimers).toBe(0);
  });

  describe('harvest', () => {
    it('orders command-state items, then P0, then P1', () => {
      setUp();
      limiter.addEvent(event('print:started', 'started'));
      limiter.addEvent(event('klippy:ready', 'ready'));
      limiter.addCommandState(commandState('cmd-1'));

      expect(messages(limiter.harvest())).toEqual(['cmd-1', 'ready', 'started']);
      expect(limiter.pendingCount).toBe(0);
    });

    it('never limits P0 events or command-state items', () => {
      setUp();
      for (let index = 0; index < 50; index += 1) {
        limiter.addEvent(event('klippy:shutdown'));
        limiter.addCommandState(commandState(`cmd-${index}`));
      }
      expect(limiter.harvest()).toHaveLength(100);
      expect(clock.pendingTimers).toBe(0);
    });

    it('lets a burst of 10 P1 events through', () => {
      setUp();
      for (let index = 0; index < 12; index += 1) limiter.addEvent(event('print:paused'));

      expect(limiter.harvest()).toHaveLength(10);
      expect(limiter.pendingCount).toBe(2);
    });

    it('refills 2 P1 tokens per second', () => {
      setUp();
      for (let index = 0; index < 14; index += 1) limiter.addEvent(event('print:paused'));
      limiter.harvest();

      clock.advance(499);
      expect(limiter.harvest()).toHaveLength(0);
      clock.advance(1);
      expect(limiter.harvest()).toHaveLength(1);
      clock.advance(1_000);
      expect(limiter.harvest()).toHaveLength(2);
    });

    it('caps P1 events at 30 per minute', () => {
      setUp();
      let harvested = 0;
      for (let index = 0; index < 40; index += 1) limiter.addEvent(event('print:paused'));
      for (let second = 0; second < 59; second += 1) {
        harvested += limiter.harvest().length;
        clock.advance(1_000);
      }
      harvested += limiter.harvest().length;

      expect(harvested).toBe(30);
      expect(limiter.pendingCount).toBe(10);
    });

    it('frees the minute cap as the window slides', () => {
      setUp();
      for (let index = 0; index < 40; index += 1) limiter.addEvent(event('print:paused'));
      for (let second = 0; second < 60; second += 1) {
        limiter.harvest();
        clock.advance(1_000);
      }
      expect(limiter.harvest().length).toBeGreaterThan(0);
    });

    it('keeps held-back events in order', () => {
      setUp();
      for (let index = 0; index < 11; index += 1) {
        limiter.addEvent(event('print:paused', `event-${index}`));
      }
      limiter.harvest();
      clock.advance(500);
      expect(messages(limiter.harvest())).toEqual(['event-10']);
    });
  });

  describe('onReady', () => {
    it('fires when a held-back P1 event may go', () => {
      setUp();
      const harvested: number[] = [];
      limiter.onReady(() => harvested.push(limiter.harvest().length));
      for (let index = 0; index < 13; index += 1) limiter.addEvent(event('print:paused'));

      expect(limiter.harvest()).toHaveLength(10);
      expect(clock.pendingTimers).toBe(1);
      clock.advance(500);
      expect(harvested).toEqual([1]);
      clock.advance(1_000);
      expect(harvested).toEqual([1, 1, 1]);
      expect(clock.pendingTimers).toBe(0);
    });

    it('waits for the minute cap before firing', () => {
      setUp();
      const readyAt: number[] = [];
      limiter.onReady(() => {
        readyAt.push(clock.monotonic());
        limiter.harvest();
      });
      for (let index = 0; index < 31; index += 1) limiter.addEvent(event('print:paused'));
      limiter.harvest();
      clock.advance(60_000);

      expect(readyAt.at(-1)).toBe(60_000);
      expect(limiter.pendingCount).toBe(0);
    });

    it('stops calling a removed listener', () => {
      setUp();
      let calls = 0;
      const subscription = limiter.onReady(() => {
        calls += 1;
      });
      for (let index = 0; index < 11; index += 1) limiter.addEvent(event('print:paused'));
      limiter.harvest();
      subscription.dispose();
      clock.advance(500);
      expect(calls).toBe(0);
    });
  });

  describe('addEvent', () => {
    it('drops the oldest event of a full queue', () => {
      setUp();
      for (let index = 0; index < 101; index += 1) {
        limiter.addEvent(event('klippy:error', `event-${index}`));
      }
      const harvested = messages(limiter.harvest());
      expect(harvested).toHaveLength(100);
      expect(harvested[0]).toBe('event-1');
    });
  });

  describe('dispose', () => {
    it('clears queues and the timer', () => {
      setUp();
      for (let index = 0; index < 12; index += 1) limiter.addEvent(event('print:paused'));
      limiter.harvest();
      limiter.dispose();

      expect(clock.pendingTimers).toBe(0);
      expect(limiter.pendingCount).toBe(0);
      limiter.addEvent(event('klippy:ready'));
      expect(limiter.harvest()).toEqual([]);
    });
  });
});
