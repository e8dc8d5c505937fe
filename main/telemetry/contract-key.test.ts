import { describe, expect, it } from 'vitest';

import { contractKey } from './contract-key.js';

describe('contractKey', () => {
  it('ignores elapsed and remaining time at any depth', () => {
    const before = {
      job: { progress: { elapsedSeconds: 10, estimatedTimeRemainingSeconds: 90 } },
      lastUpdated: '2026-01-01T12:00:00+00:00',
    };
    const after = {
      job: { progress: { elapsedSeconds: 11, estimatedTimeRemainingSeconds: 89 } },
      lastUpdated: '2026-01-01T12:00:01+00:00',
    };

    expect(contractKey(after)).toBe(contractKey(before));
  });

  it('does not depend on key order', () => {
    expect(contractKey({ b: 1, a: { d: 2, c: 3 } })).toBe(contractKey({ a: { c: 3, d: 2 }, b: 1 }));
  });

  it('changes with any other value', () => {
    expect(contractKey({ job: { progressPercent: 25 } })).not.toBe(
      contractKey({ job: { progressPercent: 26 } }),
    );
  });

  it('sorts keys inside arrays of objects', () => {
    expect(contractKey([{ b: 1, a: 2 }])).toBe('[{"a":2,"b":1}]');
  });
});
