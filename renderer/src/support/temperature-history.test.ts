import { describe, expect, it } from 'vitest';

import { printerSummary } from '../test-support/fake-transport.js';
import { RingBuffer } from './ring-buffer.js';
import {
  HISTORY_WINDOW_MS,
  SAMPLE_INTERVAL_MS,
  TemperatureHistory,
} from './temperature-history.js';

describe('RingBuffer', () => {
  it('overwrites the oldest item when full', () => {
    const buffer = new RingBuffer<number>(3);
    for (const value of [1, 2, 3, 4, 5]) buffer.push(value);
    expect(buffer.toArray()).toEqual([3, 4, 5]);
    expect(buffer.size).toBe(3);
    expect(buffer.peekNewest()).toBe(5);
  });

  it('drops old items from the front', () => {
    const buffer = new RingBuffer<number>(4);
    for (const value of [1, 2, 3, 4]) buffer.push(value);
    buffer.dropWhile((value) => value < 3);
    expect(buffer.toArray()).toEqual([3, 4]);
    expect(buffer.peek()).toBe(3);
  });

  it('empties on clear', () => {
    const buffer = new RingBuffer<number>(2);
    buffer.push(1);
    buffer.clear();
    expect(buffer.toArray()).toEqual([]);
    expect(buffer.peekNewest()).toBeUndefined();
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

  it('records at most one sample every two seconds', () => {
    let now = 0;
    const history = new TemperatureHistory(() => now);
    for (now = 0; now <= 5000; now += 250) history.record(printerSummary());

    expect(history.samples('p1').map((sample) => sample.at)).toEqual([
      0,
      SAMPLE_INTERVAL_MS,
      2 * SAMPLE_INTERVAL_MS,
    ]);
  });

  it('ends the line with one gap while the readings are stale', () => {
    let now = 0;
    const history = new TemperatureHistory(() => now);
    history.record(printerSummary());

    const stale = printerSummary({ phase: 'Offline', staleReadings: { lastSeenAt: 0 } });
    now = 500;
    history.record(stale);
    now = 5000;
    history.record(stale);
    now = 9000;
    history.record(printerSummary());

    expect(history.samples('p1').map((sample) => sample.at)).toEqual([0, 500, 9000]);
    expect(history.samples('p1')[1]?.readings).toEqual({});
  });

  it('records no gap for a printer that never had readings', () => {
    const history = new TemperatureHistory(() => 0);

    history.record(printerSummary({ temperatures: [] }));

    expect(history.samples('p1')).toEqual([]);
    expect(history.version('p1')).toBe(0);
  });

  it('seeds from the service and keeps newer samples', () => {
    let now = 10_000;
    const history = new TemperatureHistory(() => now);
    history.record(printerSummary({ temperatures: [{ name: 'extruder', value: 30 }] }));
    now = 20_000;
    history.record(printerSummary({ temperatures: [{ name: 'extruder', value: 40 }] }));

    history.seed('p1', {
      times: [2000, 4000, 6000, 12_000],
      sensors: [
        { name: 'extruder', values: [20, 22, null, 31], targets: [215, 215, null, 215] },
        { name: 'temperature_sensor chamber', values: [25, 25, null, 26] },
      ],
    });

    expect(history.samples('p1')).toEqual([
      {
        at: 2000,
        readings: {
          extruder: { value: 20, target: 215 },
          'temperature_sensor chamber': { value: 25 },
        },
      },
      {
        at: 4000,
        readings: {
          extruder: { value: 22, target: 215 },
          'temperature_sensor chamber': { value: 25 },
        },
      },
      { at: 6000, readings: {} },
      {
        at: 12_000,
        readings: {
          extruder: { value: 31, target: 215 },
          'temperature_sensor chamber': { value: 26 },
        },
      },
      { at: 20_000, readings: { extruder: { value: 40 } } },
    ]);
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
