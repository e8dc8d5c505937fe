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
 * its reading and, for a sensor that has a target in any sample, one for its target. A sensor
 * missing from a sample is a gap (null), so a sample without readings breaks every line.
 * `live`, the current readings of a connected printer, extends the lines to `now` (epoch ms),
 * because a printer whose temperatures hold still sends no new sample.
 */
export function toChartData(
  samples: readonly TemperatureSample[],
  options: { now?: number; live?: TemperatureSample['readings'] } = {},
): { series: ChartSeries[]; data: AlignedData } {
  const { now, live } = options;
  const newest = samples.at(-1)?.at ?? Number.NEGATIVE_INFINITY;
  const all =
    live && now !== undefined && now > newest ? [...samples, { at: now, readings: live }] : samples;
  const sensors = [...new Set(all.flatMap((sample) => Object.keys(sample.readings)))];
  const targeted = new Set(
    all.flatMap((sample) =>
      Object.entries(sample.readings)
        .filter(([, reading]) => reading.target !== undefined)
        .map(([sensor]) => sensor),
    ),
  );
  const series: ChartSeries[] = sensors.flatMap((sensor) => [
    { sensor, kind: 'value' as const },
    ...(targeted.has(sensor) ? [{ sensor, kind: 'target' as const }] : []),
  ]);
  const times = all.map((sample) => sample.at / 1000);
  const columns = series.map(({ sensor, kind }) =>
    all.map((sample) => {
      const reading = sample.readings[sensor];
      if (!reading) return null;
      return kind === 'value' ? reading.value : (reading.target ?? null);
    }),
  );
  return { series, data: [times, ...columns] };
}
