import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';

import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { FakeClock } from '../../../test/support/fake-clock.js';
import { LINK_STATE_PATTERN } from '../../../shared/contract/add-printer.js';
import type { Logger } from '../../support/logger.js';
import { LINK_STATE_TTL_MS, LINK_STATES_FILE_NAME, LinkStateBook } from './link-state-book.js';

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
        'This link is unknown to this app: another app started it, or it ended more than an hour ago; start linking again',
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
      expect(error.message).toContain('ended more than an hour ago');
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

  describe('with a file', () => {
    let folder: string;
    let file: string;
    let logText: string;
    let logger: Logger;

    beforeEach(async () => {
      folder = await mkdtemp(join(tmpdir(), 'owl-link-states-'));
      file = join(folder, LINK_STATES_FILE_NAME);
      logText = '';
      const destination = new Writable({
        write(chunk: Buffer, _encoding, done) {
          logText += chunk.toString('utf8');
          done();
        },
      });
      logger = pino({ level: 'info' }, destination);
    });

    afterEach(async () => {
      await rm(folder, { recursive: true, force: true });
    });

    /** Opens the file again, as the app does after a restart, on a clock `laterMs` ahead. */
    async function reopen(laterMs: number): Promise<{ book: LinkStateBook; clock: FakeClock }> {
      const later = new FakeClock(clock.now() + laterMs);
      return { book: await LinkStateBook.open({ clock: later, file, logger }), clock: later };
    }

    it('completes a state issued before a restart', async () => {
      const saving = await LinkStateBook.open({ clock, file, logger });
      const { state, expiresAt } = saving.issue(['p1', 'p2']);
      await saving.saved();

      const { book: restarted } = await reopen(60_000);

      expect(restarted.pendingStates()).toEqual([
        {
          state,
          printerIds: ['p1', 'p2'],
          remainingMs: LINK_STATE_TTL_MS - 60_000,
          expiresAt,
        },
      ]);
      expect(restarted.consume(state)).toEqual(['p1', 'p2']);
    });

    it('writes the file with mode 0600', async () => {
      const saving = await LinkStateBook.open({ clock, file, logger });
      saving.issue(['p1']);
      await saving.saved();

      const mode = (await stat(file)).mode & 0o777;

      expect(mode).toBe(0o600);
    });

    it('keeps a used state used after a restart', async () => {
      const saving = await LinkStateBook.open({ clock, file, logger });
      const { state } = saving.issue(['p1']);
      saving.consume(state);
      await saving.saved();

      const { book: restarted } = await reopen(1_000);
      const error = captureError(() => restarted.consume(state));

      expect(error.code).toBe('link_state_invalid');
      expect(error.message).toBe('This link was already used; start linking again');
      expect(restarted.size).toBe(0);
    });

    it('expires a state ten minutes after its issue across a restart', async () => {
      const saving = await LinkStateBook.open({ clock, file, logger });
      const { state } = saving.issue(['p1']);
      await saving.saved();

      const { book: restarted, clock: later } = await reopen(LINK_STATE_TTL_MS - 1_000);
      later.advance(1_000);
      const error = captureError(() => restarted.consume(state));

      expect(error.code).toBe('link_expired');
      expect(error.message).toBe('The link expired after 10 minutes; start linking again');
    });

    it('reads a state past its expiry as expired', async () => {
      const saving = await LinkStateBook.open({ clock, file, logger });
      const { state } = saving.issue(['p1']);
      await saving.saved();

      const { book: restarted } = await reopen(LINK_STATE_TTL_MS);

      expect(restarted.pendingStates()).toEqual([]);
      expect(captureError(() => restarted.consume(state)).code).toBe('link_expired');
    });

    it('keeps a state at most ten minutes after the wall clock went back', async () => {
      const saving = await LinkStateBook.open({ clock, file, logger });
      const { state } = saving.issue(['p1']);
      await saving.saved();

      const { book: restarted, clock: earlier } = await reopen(-24 * 3600_000);

      expect(restarted.pendingStates()[0]?.remainingMs).toBe(LINK_STATE_TTL_MS);
      earlier.advance(LINK_STATE_TTL_MS);
      expect(captureError(() => restarted.consume(state)).code).toBe('link_expired');
    });

    it.skipIf(process.platform === 'win32')('sets a readable file to 0600 at open', async () => {
      const saving = await LinkStateBook.open({ clock, file, logger });
      const { state } = saving.issue(['p1']);
      await saving.saved();
      await chmod(file, 0o644);

      const book = await LinkStateBook.open({ clock, file, logger });

      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect(book.consume(state)).toEqual(['p1']);
      expect(logText).toContain('Set the click-to-link states file to mode 0600');
      expect(logText).not.toContain(state);
    });

    it('ignores an invalid file and logs why', async () => {
      await writeFile(file, '{"version": 1, "pending": "no"}');

      const book = await LinkStateBook.open({ clock, file, logger });

      expect(book.size).toBe(0);
      expect(logText).toContain('is not a file of click-to-link states');
    });

    it('logs a failed write without the state', async () => {
      // A folder where the file should be makes every write fail.
      await mkdir(file);
      const saving = new LinkStateBook({ clock, file, logger });

      const { state } = saving.issue(['p1']);
      await saving.saved();

      expect(logText).toContain('Failed to save the click-to-link states');
      expect(logText).not.toContain(state);
      expect(saving.consume(state)).toEqual(['p1']);
    });

    it('keeps the state in the file but not the log', async () => {
      const saving = await LinkStateBook.open({ clock, file, logger });
      const { state } = saving.issue(['p1']);
      await saving.saved();

      expect(await readFile(file, 'utf8')).toContain(state);
      expect(logText).not.toContain(state);
    });
  });
});
