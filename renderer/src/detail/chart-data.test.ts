import { describe, expect, it } from 'vitest';

import type { TemperatureSample } from '../support/temperature-history.js';
import { toChartData } from './chart-data.js';

const HOT: TemperatureSample['readings'] = {
  extruder: { value: 210, target: 215 },
  'temperature_sensor chamber': { value: 31 },
};

describe('toChartData', () => {
  it('leaves out the target of a sensor that has none', () => {
    const { series } = toChartData([{ at: 1000, readings: HOT }]);

    expect(series).toEqual([
      { sensor: 'extruder', kind: 'value' },
      { sensor: 'extruder', kind: 'target' },
      { sensor: 'temperature_sensor chamber', kind: 'value' },
    ]);
  });

  it('keeps a target that only some samples have', () => {
    const { series, data } = toChartData([
      { at: 1000, readings: { heater_bed: { value: 22 } } },
      { at: 3000, readings: { heater_bed: { value: 25, target: 60 } } },
    ]);

    expect(series.map((entry) => entry.kind)).toEqual(['value', 'target']);
    expect(data[2]).toEqual([null, 60]);
  });

  it('breaks every line at a sample without readings', () => {
    const { data } = toChartData([
      { at: 1000, readings: HOT },
      { at: 3000, readings: {} },
      { at: 9000, readings: HOT },
    ]);

    expect(data[0]).toEqual([1, 3, 9]);
    expect(data[1]).toEqual([210, null, 210]);
    expect(data[3]).toEqual([31, null, 31]);
  });

  it('extends the lines to now with live readings', () => {
    const { data } = toChartData([{ at: 1000, readings: HOT }], {
      now: 61_000,
      live: { extruder: { value: 214, target: 215 } },
    });

    expect(data[0]).toEqual([1, 61]);
    expect(data[1]).toEqual([210, 214]);
  });

  it('leaves a gap up to now without live readings', () => {
    const { data } = toChartData([{ at: 1000, readings: HOT }], { now: 61_000 });

    expect(data[0]).toEqual([1]);
  });
});
