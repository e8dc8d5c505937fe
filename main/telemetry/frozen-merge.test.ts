import { describe, expect, it } from 'vitest';

import { changedKeys, freezeJson, jsonEqual, mergeRecord } from './frozen-merge.js';
import type { FrozenRecord } from './frozen-merge.js';

describe('mergeRecord', () => {
  const base = freezeJson({ info: { total_layer: 10 }, state: 'standby' }) as FrozenRecord;

  it('returns the base itself when nothing changed', () => {
    expect(mergeRecord(base, { state: 'standby', info: { total_layer: 10 } })).toBe(base);
  });

  it('shares unchanged branches', () => {
    const merged = mergeRecord(base, { state: 'printing' });

    expect(merged).not.toBe(base);
    expect(merged.info).toBe(base.info);
    expect(Object.isFrozen(merged)).toBe(true);
  });

  it('merges nested objects and replaces null', () => {
    const merged = mergeRecord(base, { info: { current_layer: 1 }, state: null });

    expect(merged).toEqual({ info: { total_layer: 10, current_layer: 1 }, state: null });
  });

  it('reports the changed top-level keys', () => {
    const changed: string[] = [];
    const patch = { info: { total_layer: 10, current_layer: 1 }, state: 'standby', speed: 2 };
    const merged = mergeRecord(base, patch, changed);

    expect(changed).toEqual(['info', 'speed']);
    expect(changedKeys(base, merged).sort()).toEqual(changed);
  });

  it('reports no keys when nothing changed', () => {
    const changed: string[] = [];
    mergeRecord(base, { state: 'standby', info: {} }, changed);

    expect(changed).toEqual([]);
  });

  it('ignores __proto__ keys', () => {
    const patch = JSON.parse('{"__proto__": {"polluted": true}, "state": "printing"}') as Record<
      string,
      unknown
    >;
    const merged = mergeRecord(base, patch);

    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('freezeJson', () => {
  it('freezes nested arrays and objects', () => {
    const frozen = freezeJson({ list: [{ value: 1 }] }) as { list: { value: number }[] };

    expect(Object.isFrozen(frozen.list)).toBe(true);
    expect(Object.isFrozen(frozen.list[0])).toBe(true);
  });
});

describe('jsonEqual', () => {
  it('compares structurally', () => {
    expect(jsonEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(jsonEqual({ a: [1] }, { a: [1, 2] })).toBe(false);
    expect(jsonEqual({ a: 1 }, { b: 1 })).toBe(false);
  });
});

describe('changedKeys', () => {
  it('lists added, removed and changed keys', () => {
    expect(changedKeys({ a: 1, b: 2, c: 3 }, { a: 1, b: 5, d: 4 }).sort()).toEqual(['b', 'c', 'd']);
  });
});
