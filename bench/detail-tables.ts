import {
  PHASE_NAMES,
  type ChannelResult,
  type PhaseName,
  type PhaseResult,
  type StepResult,
} from './step-result.js';
import { fixed, joined, kilobytes, type Table } from './table-format.js';

/** A step's window, for the tables with one row per printer count and window. */
interface WindowRow {
  result: StepResult;
  phase: PhaseName;
  window: PhaseResult;
}

/** Builds the detail tables: bridge host and traffic per window, latencies, set-up and other processes. */
export function detailTables(results: readonly StepResult[]): Table[] {
  const rows = windowRows(results);
  return [
    bridgeTable(rows),
    trafficTable(rows),
    latencyTable(results),
    setupTable(results),
    otherProcessesTable(rows),
  ];
}

function windowRows(results: readonly StepResult[]): WindowRow[] {
  return results.flatMap((result) =>
    PHASE_NAMES.flatMap((phase) => {
      const window = result.phases[phase];
      return window ? [{ result, phase, window }] : [];
    }),
  );
}

function bridgeTable(rows: readonly WindowRow[]): Table {
  return {
    title: 'Bridge host per window',
    header: [
      'Printers',
      'Window',
      'Length s',
      'CPU % of one core',
      'RSS max / end MiB',
      'Event loop lag p99 / max ms',
    ],
    rows: rows.map(({ result, phase, window }) => [
      String(result.printers),
      phase,
      fixed(window.windowSeconds, 1),
      fixed(window.bridge.cpuPercent, 1),
      joined([window.bridge.rssMaxMiB, window.bridge.rssEndMiB], 0),
      joined([window.bridge.eventLoopP99Ms, window.bridge.eventLoopMaxMs], 1),
    ]),
  };
}

function trafficTable(rows: readonly WindowRow[]): Table {
  const channel = (window: PhaseResult, name: string): string =>
    rateAndBytes(window.channels[name]);
  return {
    title: 'Traffic per printer and window (kB = 1000 bytes)',
    header: [
      'Printers',
      'Window',
      'MQTT sent / received kB/h',
      'status /min (kB/h)',
      'sensors /min (kB/h)',
      'events /min (kB/h)',
      'acks /min (kB/h)',
      'Moonraker frames/s (kB/h) in',
    ],
    rows: rows.map(({ result, phase, window }) => [
      String(result.printers),
      phase,
      `${kilobytes(window.mqtt.sentPerPrinterHour)} / ${kilobytes(window.mqtt.receivedPerPrinterHour)}`,
      channel(window, 'status'),
      channel(window, 'sensors'),
      channel(window, 'events'),
      channel(window, 'acks'),
      `${fixed(window.moonraker.framesPerPrinterSecond, 2)} (${kilobytes(window.moonraker.bytesPerPrinterHour)})`,
    ]),
  };
}

function rateAndBytes(channel: ChannelResult | undefined): string {
  if (!channel) return '0';
  return `${fixed(channel.perPrinterPerMinute, 1)} (${kilobytes(channel.bytesPerPrinterHour)})`;
}

function latencyTable(results: readonly StepResult[]): Table {
  const rows = results.flatMap((result) => {
    const rowsOfStep: string[][] = [];
    const { frameLatency: frame, commandLatency: command } = result;
    if (command) {
      rowsOfStep.push([
        String(result.printers),
        'command → Moonraker',
        `${command.samples} (${command.unmatched} unmatched, ${command.unexpected} unexpected)`,
        command.transports.join(', ') || 'n/a',
        joined([command.p50Ms, command.p99Ms, command.maxMs], 1),
        fixed(command.clockUncertaintyMs, 3),
      ]);
    }
    if (frame) {
      rowsOfStep.push([
        String(result.printers),
        'frame → broker',
        `${frame.samples} (${frame.missing} missing)`,
        'websocket',
        joined([frame.p50Ms, frame.p99Ms, frame.maxMs], 1),
        fixed(frame.clockUncertaintyMs, 3),
      ]);
    }
    return rowsOfStep;
  });
  return {
    title: 'Latencies in the commands window',
    header: [
      'Printers',
      'Path',
      'Samples',
      'Moonraker transport',
      'p50 / p99 / max ms',
      'Clock uncertainty ± ms',
    ],
    rows,
  };
}

function setupTable(results: readonly StepResult[]): Table {
  return {
    title: 'Set-up of each step',
    header: [
      'Printers',
      'Broker',
      'All connected after s',
      'RSS base / max / end MiB',
      'RSS per printer MiB',
      'Commands published (failed)',
      'Bridge log warn / error lines',
    ],
    rows: results.map((result) => [
      String(result.printers),
      result.broker,
      fixed(result.connectSeconds, 1),
      joined([result.rssBaseMiB, result.rssMaxMiB, result.rssEndMiB], 0),
      rssPerPrinter(result),
      result.commandLatency
        ? `${result.commandLatency.probes.sent} (${result.commandLatency.probes.failed})`
        : 'n/a',
      `${result.health.warnLines} / ${result.health.errorLines}`,
    ]),
  };
}

/**
 * RSS growth from the host's start to the end of the last window, per printer. With few printers
 * the growth is mostly one-time allocations and garbage collection noise, so it is left out below
 * ten.
 */
function rssPerPrinter(result: StepResult): string {
  if (result.printers < 10) return 'n/a';
  return fixed((result.rssEndMiB - result.rssBaseMiB) / result.printers, 2);
}

function otherProcessesTable(rows: readonly WindowRow[]): Table {
  return {
    title: 'The other processes on the machine per window',
    header: [
      'Printers',
      'Window',
      'Simulators CPU %',
      'Cloud host CPU %',
      'mosquitto CPU %',
      'Cloud host lag p99 ms',
      'Machine busy / unrelated cores',
    ],
    rows: rows.map(({ result, phase, window }) => [
      String(result.printers),
      phase,
      fixed(window.otherCpuPercent.simulators, 1),
      fixed(window.otherCpuPercent.cloud, 1),
      fixed(window.otherCpuPercent.broker, 1),
      fixed(window.cloudEventLoopP99Ms, 1),
      joined([window.machine.busyCores, window.machine.unrelatedCores], 2),
    ]),
  };
}
