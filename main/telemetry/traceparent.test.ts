import { describe, expect, it } from 'vitest';

import { createTraceparent, defaultRandomBytes } from './traceparent.js';

const POOL_BYTES = 4096;

describe('defaultRandomBytes', () => {
  it('returns the requested number of bytes', () => {
    expect(defaultRandomBytes(16)).toHaveLength(16);
    expect(defaultRandomBytes(POOL_BYTES + 1)).toHaveLength(POOL_BYTES + 1);
  });

  it('never hands out the same bytes twice', () => {
    const drawn = new Set<string>();
    for (let draw = 0; draw < 1_000; draw += 1) {
      drawn.add(Buffer.from(defaultRandomBytes(16)).toString('hex'));
    }

    expect(drawn.size).toBe(1_000);
  });

  it('keeps handed-out bytes when the pool is drawn again', () => {
    const bytes = defaultRandomBytes(8);
    const before = Buffer.from(bytes).toString('hex');
    for (let draw = 0; draw < POOL_BYTES / 8 + 1; draw += 1) defaultRandomBytes(8);

    expect(Buffer.from(bytes).toString('hex')).toBe(before);
  });
});

describe('createTraceparent', () => {
  it('formats fresh ids', () => {
    expect(createTraceparent()).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(createTraceparent()).not.toBe(createTraceparent());
  });
});
