import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../test/support/fake-clock.js';
import { LinkCodeBook } from './link-codes.js';

describe('LinkCodeBook', () => {
  describe('mint', () => {
    it('draws six characters from A-Z and 0-9', () => {
      const draws = [0, 25, 26, 35, 1, 2];
      const book = new LinkCodeBook(new FakeClock(), () => draws.shift() ?? 0);

      expect(book.mint().code).toBe('AZ09BC');
    });

    it('never hands out a live code twice', () => {
      const draws = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1];
      const book = new LinkCodeBook(new FakeClock(), () => draws.shift() ?? 0);

      const codes = [book.mint().code, book.mint().code];

      expect(codes).toEqual(['AAAAAA', 'BBBBBB']);
    });
  });

  describe('claim', () => {
    it('accepts once after the given number of polls', () => {
      const book = new LinkCodeBook(new FakeClock());
      const { code } = book.mint({ acceptAfterPolls: 2 });

      const claims = [1, 2, 3, 4].map(() => book.claim(code));

      expect(claims).toEqual(['pending', 'pending', 'accepted', 'used']);
    });

    it('ignores case and surrounding whitespace', () => {
      const book = new LinkCodeBook(new FakeClock());
      const { code } = book.mint();

      expect(book.claim(` ${code.toLowerCase()} `)).toBe('accepted');
    });

    it('expires at the end of its lifetime', () => {
      const clock = new FakeClock();
      const book = new LinkCodeBook(clock);
      const { code, expiresAt } = book.mint({ ttlSeconds: 60 });

      clock.advance(60_000);

      expect(expiresAt).toBe(clock.now());
      expect(book.claim(code)).toBe('expired');
      expect(book.claim('UNKNWN')).toBe('unknown');
    });
  });
});
