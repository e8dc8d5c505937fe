import { beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../test/support/fake-clock.js';
import { LINK_STATE_PATTERN } from '../../../shared/contract/add-printer.js';
import { LINK_STATE_TTL_MS, LinkStateBook } from './link-state-book.js';

function captureError(action: () => unknown): { code?: unknown; message?: unknown } {
  try {
    action();
  } catch (error) {
    return error as { code?: unknown; message?: unknown };
  }
  throw new Error('expected the action to throw');
}

describe('LinkStateBook', () => {
  let clock: FakeClock;
  let book: LinkStateBook;

  beforeEach(() => {
    clock = new FakeClock();
    book = new LinkStateBook({ clock });
  });

  describe('issue', () => {
    it('mints 256-bit base64url states', () => {
      const { state } = book.issue(['p1']);

      expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(state).toMatch(LINK_STATE_PATTERN);
    });

    it('mints a different state each time', () => {
      const states = new Set(Array.from({ length: 20 }, () => book.issue(['p1']).state));

      expect(states.size).toBe(20);
    });

    it('encodes the injected random bytes', () => {
      const fixed = new LinkStateBook({ clock, randomBytes: (size) => new Uint8Array(size) });

      expect(fixed.issue(['p1']).state).toBe('A'.repeat(43));
    });

    it('reports expiry ten minutes ahead on the wall clock', () => {
      const { expiresAt } = book.issue(['p1']);

      expect(expiresAt).toBe(clock.now() + 10 * 60_000);
    });

    it('rejects an empty printer list', () => {
      const error = captureError(() => book.issue([]));

      expect(error.code).toBe('invalid_arguments');
      expect(error.message).toBe('Choose at least one printer to link');
    });

    it('rejects a printer listed twice', () => {
      const error = captureError(() => book.issue(['p1', 'p2', 'p1']));

      expect(error.code).toBe('invalid_arguments');
      expect(error.message).toBe('Printer p1 is listed twice');
    });

    it('rejects more than 50 printers', () => {
      const ids = Array.from({ length: 51 }, (_, index) => `p${index}`);

      const error = captureError(() => book.issue(ids));

      expect(error.code).toBe('invalid_arguments');
      expect(error.message).toBe('At most 50 printers can be linked in one action; 51 were chosen');
    });

    it('rejects a state past the pending maximum', () => {
      const bounded = new LinkStateBook({ clock, maxPending: 2 });
      bounded.issue(['p1']);
      bounded.issue(['p2']);

      const error = captureError(() => bounded.issue(['p3']));

      expect(error.code).toBe('busy');
      expect(error.message).toBe(
        '2 links already wait for Owl Web; finish them or wait up to 10 minutes for them to expire',
      );
      expect(bounded.size).toBe(2);
    });

    it('makes room again once pending states expire', () => {
      const bounded = new LinkStateBook({ clock, maxPending: 1 });
      bounded.issue(['p1']);
      clock.advance(LINK_STATE_TTL_MS);

      expect(bounded.issue(['p2']).state).toMatch(LINK_STATE_PATTERN);
      expect(bounded.size).toBe(1);
    });

    it('makes room again once a state is consumed', () => {
      const bounded = new LinkStateBook({ clock, maxPending: 1 });
      bounded.consume(bounded.issue(['p1']).state);

      expect(bounded.issue(['p2']).state).toMatch(LINK_STATE_PATTERN);
    });
  });

  describe('consume', () => {
    it('returns the printer ids in issue order', () => {
      const { state } = book.issue(['p3', 'p1', 'p2']);

      expect(book.consume(state)).toEqual(['p3', 'p1', 'p2']);
    });

    it('rejects a second use of a state', () => {
      const { state } = book.issue(['p1']);
      book.consume(state);

      const error = captureError(() => book.consume(state));

      expect(error.code).toBe('link_state_invalid');
      expect(error.message).toBe('This link was already used; start linking again');
    });

    it('rejects an unknown state', () => {
      const error = captureError(() => book.consume('A'.repeat(43)));

      expect(error.code).toBe('link_state_invalid');
      expect(error.message).toBe(
        'This link was not started by this app, or the app restarted since; start linking again',
      );
    });

    it('accepts a state just before ten minutes', () => {
      const { state } = book.issue(['p1']);
      clock.advance(LINK_STATE_TTL_MS - 1);

      expect(book.consume(state)).toEqual(['p1']);
    });

    it('rejects a state after ten minutes', () => {
      const { state } = book.issue(['p1']);
      clock.advance(LINK_STATE_TTL_MS);

      const error = captureError(() => book.consume(state));

      expect(error.code).toBe('link_expired');
      expect(error.message).toBe('The link expired after 10 minutes; start linking again');
    });

    it('rejects an expired state again on a retry', () => {
      const { state } = book.issue(['p1']);
      clock.advance(LINK_STATE_TTL_MS);
      captureError(() => book.consume(state));

      expect(captureError(() => book.consume(state)).code).toBe('link_expired');
    });

    it('ignores a wall clock jump', () => {
      const { state } = book.issue(['p1']);
      clock.jumpWallClock(24 * 3600_000);

      expect(book.consume(state)).toEqual(['p1']);
    });

    it('forgets spent states an hour after expiry', () => {
      const { state } = book.issue(['p1']);
      book.consume(state);
      clock.advance(LINK_STATE_TTL_MS + 60 * 60_000);

      const error = captureError(() => book.consume(state));

      expect(error.code).toBe('link_state_invalid');
      expect(error.message).toContain('not started by this app');
    });
  });

  describe('expire', () => {
    it('ends a waiting state at once', () => {
      const { state } = book.issue(['p1']);

      const returned = book.expire(state);
      const error = captureError(() => book.consume(state));

      expect(returned?.code).toBe('link_expired');
      expect(error.code).toBe('link_expired');
      expect(error.message).toBe('The link expired after 10 minutes; start linking again');
    });

    it('returns undefined for a used state', () => {
      const { state } = book.issue(['p1']);
      book.consume(state);

      expect(book.expire(state)).toBeUndefined();
    });
  });

  describe('discard', () => {
    it('forgets a waiting state', () => {
      const { state } = book.issue(['p1']);

      book.discard(state);

      expect(book.size).toBe(0);
      expect(captureError(() => book.consume(state)).code).toBe('link_state_invalid');
    });
  });
});
