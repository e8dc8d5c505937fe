import type { ChannelResult, StepResult } from './step-result.js';

export interface Table {
  title: string;
  header: string[];
  rows: string[][];
}

const KILOBYTE = 1_000;

/** Builds the three tables of a run: the bridge process with latency, traffic, and the other processes. */
export function resultTables(results: readonly StepResult[]): Table[] {
  return [bridgeTable(results), trafficTable(results), machineTable(results)];
}

function bridgeTable(results: readonly StepResult[]): Table {
  return {
    title: 'Bridge process and frame-to-broker latency',
    header: [
      'Printers',
      'Scenario',
      'CPU % of one core',
      'RSS base / max / end MiB',
      'RSS per printer MiB',
      'Event loop lag p99 / max ms',
      'Latency p50 / p99 / max ms',
      'Latency samples (missing)',
    ],
    rows: results.map((result) => [
      String(result.printers),
      result.scenario,
      fixed(result.bridge.cpuPercent, 1),
      [result.bridge.rssBaseMiB, result.bridge.rssMaxMiB, result.bridge.rssEndMiB]
        .map((value) => fixed(value, 0))
        .join(' / '),
      rssPerPrinter(result),
      `${fixed(result.bridge.eventLoopP99Ms, 1)} / ${fixed(result.bridge.eventLoopMaxMs, 1)}`,
      result.latency
        ? [result.latency.p50Ms, result.latency.p99Ms, result.latency.maxMs]
            .map((value) => fixed(value, 1))
            .join(' / ')
        : 'n/a',
      result.latency ? `${result.latency.samples} (${result.latency.missing})` : 'n/a',
    ]),
  };
}

function trafficTable(results: readonly StepResult[]): Table {
  const channel = (result: StepResult, name: string): ChannelResult | undefined =>
    result.channels[name];
  return {
    title: 'Traffic per printer (kB = 1000 bytes)',
    header: [
      'Printers',
      'Scenario',
      'MQTT sent / received kB/h',
      'status /min (kB/h)',
      'sensors /min (kB/h)',
      'events /min (kB/h)',
      'Moonraker frames/s (kB/h) in',
    ],
    rows: results.map((result) => [
      String(result.printers),
      result.scenario,
      `${kilobytes(result.mqtt.sentPerPrinterHour)} / ${kilobytes(result.mqtt.receivedPerPrinterHour)}`,
      rateAndBytes(channel(result, 'status')),
      rateAndBytes(channel(result, 'sensors')),
      rateAndBytes(channel(result, 'events')),
      `${fixed(result.moonraker.framesPerPrinterSecond, 2)} (${kilobytes(result.moonraker.bytesPerPrinterHour)})`,
    ]),
  };
}

function rateAndBytes(channel: ChannelResult | undefined): string {
  if (!channel) return '0';
  return `${fixed(channel.perPrinterPerMinute, 1)} (${kilobytes(channel.bytesPerPrinterHour)})`;
}

/** Kilobytes with three significant digits for small values and whole numbers from 100 up. */
function kilobytes(bytes: number): string {
  const value = bytes / KILOBYTE;
  if (value >= 100) return fixed(value, 0);
  return fixed(value, value >= 10 ? 1 : 2);
}

function machineTable(results: readonly StepResult[]): Table {
  return {
    title: 'Set-up and the other processes on the machine',
    header: [
      'Printers',
      'Scenario',
      'Broker',
      'All connected after s',
      'Simulators CPU %',
      'Cloud host CPU %',
      'mosquitto CPU %',
      'Cloud host lag p99 ms',
      'Machine busy / unrelated cores',
      'Bridge log warn / error lines',
    ],
    rows: results.map((result) => [
      String(result.printers),
      result.scenario,
      result.broker,
      fixed(result.connectSeconds, 1),
      fixed(result.otherCpuPercent.simulators, 1),
      fixed(result.otherCpuPercent.cloud, 1),
      result.otherCpuPercent.broker === undefined ? 'n/a' : fixed(result.otherCpuPercent.broker, 1),
      fixed(result.cloudEventLoopP99Ms, 1),
      `${fixed(result.machine.busyCores, 2)} / ${fixed(result.machine.unrelatedCores, 2)}`,
      `${result.health.warnLines} / ${result.health.errorLines}`,
    ]),
  };
}

/**
 * RSS growth from the host's start to the window's end, per printer. With few printers the growth
 * is mostly one-time allocations and garbage collection noise, so it is left out below ten.
 */
function rssPerPrinter(result: StepResult): string {
  if (result.printers < 10) return 'n/a';
  return fixed((result.bridge.rssEndMiB - result.bridge.rssBaseMiB) / result.printers, 2);
}

/** Renders the table in aligned columns for a terminal. */
export function renderText(table: Table): string {
  const widths = table.header.map((cell, column) =>
    Math.max(cell.length, ...table.rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells.map((cell, column) => cell.padStart(widths[column] ?? 0)).join('  ');
  return [table.title, line(table.header), ...table.rows.map(line)].join('\n');
}

/** Renders a Markdown pipe table under a bold title. */
export function renderMarkdown(table: Table): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  const separator = line(table.header.map(() => '---'));
  return [`**${table.title}**`, '', line(table.header), separator, ...table.rows.map(line)].join(
    '\n',
  );
}

function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
}
