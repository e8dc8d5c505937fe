import type { AlignedData } from 'uplot';

import type { TemperatureSample } from '../support/temperature-history.js';

export interface ChartSeries {
  sensor: string;
  kind: 'value' | 'target';
}

/** Colours of the sensors in the order they first appear; readable on light and dark. */
const PALETTE = ['#e8590c', '#1c7ed6', '#2f9e44', '#ae3ec9', '#f08c00', '#0c8599'];

export function colourOf(index: number): string {
  return PALETTE[index % PALETTE.length] ?? '#888888';
}

/**
 * Turns samples into uPlot's column format: times in seconds, then one column per sensor for
 * its reading and one for its target. A sensor missing from a sample is a gap (null).
 */
export function toChartData(samples: readonly TemperatureSample[]): {
  series: ChartSeries[];
  data: AlignedData;
} {
  const sensors = [...new Set(samples.flatMap((sample) => Object.keys(sample.readings)))];
  const series: ChartSeries[] = sensors.flatMap((sensor) => [
    { sensor, kind: 'value' as const },
    { sensor, kind: 'target' as const },
  ]);
  const times = samples.map((sample) => sample.at / 1000);
  const columns = series.map(({ sensor, kind }) =>
    samples.map((sample) => {
      const reading = sample.readings[sensor];
      if (!reading) return null;
      return kind === 'value' ? reading.value : (reading.target ?? null);
    }),
  );
  return { series, data: [times, ...columns] };
}
