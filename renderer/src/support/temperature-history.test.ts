import { describe, expect, it } from 'vitest';

import { printerSummary } from '../test-support/fake-transport.js';
import { RingBuffer } from './ring-buffer.js';
import { HISTORY_WINDOW_MS, TemperatureHistory } from './temperature-history.js';

describe('RingBuffer', () => {
  it('overwrites the oldest item when full', () => {
    const buffer = new RingBuffer<number>(3);
    for (const value of [1, 2, 3, 4, 5]) buffer.push(value);
    expect(buffer.toArray()).toEqual([3, 4, 5]);
    expect(buffer.size).toBe(3);
  });

  it('drops old items from the front', () => {
    const buffer = new RingBuffer<number>(4);
    for (const value of [1, 2, 3, 4]) buffer.push(value);
    buffer.dropWhile((value) => value < 3);
    expect(buffer.toArray()).toEqual([3, 4]);
    expect(buffer.peek()).toBe(3);
  });

  it('rejects a capacity of zero', () => {
    expect(() => new RingBuffer(0)).toThrow(
      'Ring buffer capacity must be a positive integer, got 0',
    );
  });
});

describe('TemperatureHistory', () => {
  it('keeps only the last ten minutes', () => {
    let now = 0;
    const history = new TemperatureHistory(() => now);
    history.record(printerSummary());
    now = HISTORY_WINDOW_MS / 2;
    history.record(printerSummary());
    now = HISTORY_WINDOW_MS + 1;
    history.record(printerSummary());

    expect(history.samples('p1').map((sample) => sample.at)).toEqual([HISTORY_WINDOW_MS / 2, now]);
  });

  it('stores readings with targets by sensor name', () => {
    const history = new TemperatureHistory(() => 5);
    history.record(
      printerSummary({ temperatures: [{ name: 'extruder', value: 200, target: 210 }] }),
    );

    expect(history.samples('p1')).toEqual([
      { at: 5, readings: { extruder: { value: 200, target: 210 } } },
    ]);
    expect(history.version('p1')).toBe(1);
  });

  it('notifies listeners with the printer id', () => {
    const history = new TemperatureHistory(() => 0);
    const notified: string[] = [];
    history.subscribe((id) => notified.push(id));
    history.record(printerSummary({ id: 'x' }));
    history.forget('x');

    expect(notified).toEqual(['x', 'x']);
    expect(history.samples('x')).toEqual([]);
  });
});
