import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

import type { PrinterSummary } from '../../../shared/control-api/printer-views.js';
import { useNow } from '../hooks/use-now.js';
import { useI18n } from '../i18n/i18n-context.js';
import { formatClock } from '../support/format.js';
import { readingsOf, SAMPLE_INTERVAL_MS } from '../support/temperature-history.js';
import { colourOf, toChartData, type ChartSeries } from './chart-data.js';
import { temperatureRange } from './temperature-axis.js';
import {
  TIME_AXIS_INCREMENTS,
  timeAxisEndPadding,
  timeAxisFormatter,
  timeAxisSpace,
  timeWindow,
} from './time-axis.js';
import { useTemperatureSamples } from './temperature-history-context.js';

const CHART_HEIGHT = 220;

/** Whether canvas drawing works here; happy-dom, used by the tests, has no 2D context. */
function canDrawCanvas(): boolean {
  return document.createElement('canvas').getContext('2d') !== null;
}

function seriesOptions(series: readonly ChartSeries[], targetLabel: (name: string) => string) {
  const sensorIndex = new Map<string, number>();
  return series.map(({ sensor, kind }): uPlot.Series => {
    if (!sensorIndex.has(sensor)) sensorIndex.set(sensor, sensorIndex.size);
    const stroke = colourOf(sensorIndex.get(sensor) ?? 0);
    return kind === 'value'
      ? { label: sensor, stroke, width: 2, spanGaps: false, points: { show: false } }
      : {
          label: targetLabel(sensor),
          stroke,
          width: 1,
          dash: [6, 4],
          spanGaps: false,
          points: { show: false },
        };
  });
}

/**
 * Draws the printer's temperatures and targets over the last ten minutes up to now, with the
 * time axis in 24-hour hours and minutes. While the printer is connected its current readings
 * extend the lines to now; while it is not, the lines stop at the last reading and a note states
 * when that was. The uPlot instance is rebuilt when the set of series or the language changes,
 * resized with its container, and otherwise only gets new data.
 */
export function TemperatureChart(props: { printer: PrinterSummary }) {
  const { t, language } = useI18n();
  const { printer } = props;
  const samples = useTemperatureSamples(printer.id);
  const now = useNow(SAMPLE_INTERVAL_MS);
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<{ chart: uPlot; shape: string } | null>(null);
  // The x scale's range function is built once with the chart, so it reads the time from here.
  const windowEnd = useRef(now);
  const live =
    printer.staleReadings || printer.temperatures.length === 0
      ? undefined
      : readingsOf(printer.temperatures);
  const { series, data } = toChartData(samples, { now, ...(live ? { live } : {}) });
  const points = data[0].length;
  // A new language changes the labels, which uPlot takes only when the chart is built.
  const shape = `${language}|${series.map((entry) => `${entry.sensor}:${entry.kind}`).join(',')}`;

  useEffect(() => {
    windowEnd.current = now;
    const element = container.current;
    if (!element || points === 0 || !canDrawCanvas()) return;
    if (plot.current?.shape === shape) {
      plot.current.chart.setData(data);
      return;
    }
    plot.current?.chart.destroy();
    const formatTick = timeAxisFormatter(language);
    const options: uPlot.Options = {
      width: Math.max(320, element.clientWidth),
      height: CHART_HEIGHT,
      scales: {
        x: { time: true, range: () => timeWindow(windowEnd.current / 1000) },
        y: { range: (_, min, max) => temperatureRange(min, max) },
      },
      padding: [null, timeAxisEndPadding(formatTick), null, null],
      series: [{}, ...seriesOptions(series, (name) => t('detail.target', { name }))],
      axes: [
        {
          stroke: 'currentColor',
          incrs: [...TIME_AXIS_INCREMENTS],
          space: timeAxisSpace(formatTick),
          values: (_, ticks) => ticks.map(formatTick),
        },
        { stroke: 'currentColor', values: (_, ticks) => ticks.map((tick) => `${tick}°`) },
      ],
      legend: { live: false },
    };
    plot.current = { chart: new uPlot(options, data, element), shape };
  });

  useEffect(() => {
    const element = container.current;
    const observer =
      element && typeof ResizeObserver !== 'undefined'
        ? new ResizeObserver(() => {
            plot.current?.chart.setSize({
              width: Math.max(320, element.clientWidth),
              height: CHART_HEIGHT,
            });
          })
        : null;
    if (element) observer?.observe(element);
    return () => {
      observer?.disconnect();
      plot.current?.chart.destroy();
      plot.current = null;
    };
  }, []);

  const stale = printer.staleReadings;
  return (
    <section className="card" aria-labelledby="chart-heading">
      <h2 id="chart-heading">{t('detail.temperatures')}</h2>
      {stale ? (
        <p className="muted" role="status">
          {stale.lastSeenAt === undefined
            ? t('detail.staleReadingsUnknown')
            : t('detail.staleReadings', { time: formatClock(stale.lastSeenAt, language) })}
        </p>
      ) : null}
      {points === 0 ? <p className="muted">{t('detail.noTemperatures')}</p> : null}
      <div ref={container} className="chart" role="img" aria-label={t('detail.temperatures')} />
    </section>
  );
}
