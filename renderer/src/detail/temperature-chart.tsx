import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

import { useI18n } from '../i18n/i18n-context.js';
import { colourOf, toChartData, type ChartSeries } from './chart-data.js';
import {
  TIME_AXIS_INCREMENTS,
  chartLocale,
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
      : { label: targetLabel(sensor), stroke, width: 1, dash: [6, 4], points: { show: false } };
  });
}

/**
 * Draws the printer's temperatures and targets over the last ten minutes, with the time axis in
 * hours and minutes of the user's locale. The uPlot instance is rebuilt when the set of sensors
 * or the language changes, resized with its container, and otherwise only gets new data.
 */
export function TemperatureChart(props: { printerId: string }) {
  const { t, language } = useI18n();
  const samples = useTemperatureSamples(props.printerId);
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<{ chart: uPlot; shape: string } | null>(null);
  const { series, data } = toChartData(samples);
  // A new language changes the labels, which uPlot takes only when the chart is built.
  const shape = `${language}|${series.map((entry) => `${entry.sensor}:${entry.kind}`).join(',')}`;

  useEffect(() => {
    const element = container.current;
    if (!element || samples.length === 0 || !canDrawCanvas()) return;
    if (plot.current?.shape === shape) {
      plot.current.chart.setData(data);
      return;
    }
    plot.current?.chart.destroy();
    const formatTick = timeAxisFormatter(chartLocale(language, navigator.languages));
    const options: uPlot.Options = {
      width: Math.max(320, element.clientWidth),
      height: CHART_HEIGHT,
      scales: { x: { time: true, range: (_, _min, max) => timeWindow(max) } },
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

  return (
    <section className="card" aria-labelledby="chart-heading">
      <h2 id="chart-heading">{t('detail.temperatures')}</h2>
      {samples.length === 0 ? <p className="muted">{t('detail.noTemperatures')}</p> : null}
      <div ref={container} className="chart" role="img" aria-label={t('detail.temperatures')} />
    </section>
  );
}
