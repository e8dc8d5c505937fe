import { describe, expect, it } from 'vitest';

import { FakeClock } from '../../../test/support/fake-clock.js';
import { type PendingWill, SessionStore } from './session-store.js';

function will(clientId: string, delaySeconds = 0): PendingWill {
  return {
    clientId,
    will: { topic: `wills/${clientId}`, payload: 'gone', qos: 1, retain: false },
    delaySeconds,
  };
}

function createStore() {
  const clock = new FakeClock();
  const published: string[] = [];
  const store = new SessionStore({
    clock,
    maximumQueued: 10,
    publishWill: (pending) => published.push(pending.will.topic),
    onDrop: () => undefined,
  });
  return { clock, store, published };
}

describe('SessionStore', () => {
  describe('open', () => {
    it('creates a new session', () => {
      const { store } = createStore();

      const opened = store.open('a', false, 60);

      expect(opened.present).toBe(false);
      expect(store.get('a')).toBe(opened.session);
    });

    it('resumes a session without clean start', () => {
      const { store } = createStore();
      const first = store.open('a', false, 60);
      store.release(first.session, undefined);

      const second = store.open('a', false, 60);

      expect(second.present).toBe(true);
      expect(second.session).toBe(first.session);
    });

    it('replaces a session on clean start', () => {
      const { store } = createStore();
      const first = store.open('a', false, 60);
      store.release(first.session, undefined);

      const second = store.open('a', true, 60);

      expect(second.present).toBe(false);
      expect(second.session).not.toBe(first.session);
    });

    it('cancels a delayed will when the client resumes', () => {
      const { clock, store, published } = createStore();
      const { session } = store.open('a', false, 60);
      store.release(session, will('a', 10));

      store.open('a', false, 60);
      clock.advance(60_000);

      expect(published).toEqual([]);
    });

    it('publishes delayed will on clean start', () => {
      const { store, published } = createStore();
      const { session } = store.open('a', false, 60);
      store.release(session, will('a', 10));

      store.open('a', true, 60);

      expect(published).toEqual(['wills/a']);
    });
  });

  describe('release', () => {
    it('ends a session with expiry 0 at once', () => {
      const { store } = createStore();
      const { session } = store.open('a', true, 0);

      store.release(session, undefined);

      expect(store.get('a')).toBeUndefined();
    });

    it('ends a persistent session after its expiry interval', () => {
      const { clock, store } = createStore();
      const { session } = store.open('a', false, 30);
      store.release(session, undefined);

      clock.advance(29_999);
      expect(store.get('a')).toBe(session);
      clock.advance(1);
      expect(store.get('a')).toBeUndefined();
    });

    it('publishes a will without delay at once', () => {
      const { store, published } = createStore();
      const { session } = store.open('a', false, 30);

      store.release(session, will('a'));

      expect(published).toEqual(['wills/a']);
    });

    it('publishes a delayed will after the delay', () => {
      const { clock, store, published } = createStore();
      const { session } = store.open('a', false, 30);
      store.release(session, will('a', 5));

      clock.advance(4_999);
      expect(published).toEqual([]);
      clock.advance(1);
      expect(published).toEqual(['wills/a']);
    });

    it('publishes a delayed will when the session expires first', () => {
      const { clock, store, published } = createStore();
      const { session } = store.open('a', false, 5);
      store.release(session, will('a', 60));

      clock.advance(5_000);

      expect(published).toEqual(['wills/a']);
      expect(clock.pendingTimers).toBe(0);
    });
  });

  describe('clear', () => {
    it('drops sessions and timers without publishing wills', () => {
      const { clock, store, published } = createStore();
      const { session } = store.open('a', false, 30);
      store.release(session, will('a', 5));

      store.clear();
      clock.advance(60_000);

      expect(store.size).toBe(0);
      expect(published).toEqual([]);
      expect(clock.pendingTimers).toBe(0);
    });
  });
});
