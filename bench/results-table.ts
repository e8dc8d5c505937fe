import { detailTables } from './detail-tables.js';
import type { PhaseResult, StepResult } from './step-result.js';
import { fixed, joined, kilobytes, type Table } from './table-format.js';

/** Builds the tables of a run: the summary with one row per printer count, then the details. */
export function resultTables(results: readonly StepResult[]): Table[] {
  return [summaryTable(results), ...detailTables(results)];
}

/**
 * Builds one row per printer count with the numbers a reader compares first. MQTT bytes are wire
 * bytes on the bridges' broker connections, where sent is device → broker and received is
 * broker → device.
 */
export function summaryTable(results: readonly StepResult[]): Table {
  return {
    title: 'Results per printer count (kB = 1000 bytes)',
    header: [
      'Printers',
      'Bridge CPU % of one core: idle / printing / commands',
      'Bridge RSS max MiB',
      'Frame → broker p50 / p99 ms',
      'Command → Moonraker p50 / p99 ms',
      'MQTT idle kB per printer-hour, sent / received',
      'MQTT printing kB per printer-hour, sent / received',
    ],
    rows: results.map((result) => {
      const { idle, printing, commands } = result.phases;
      return [
        String(result.printers),
        joined(
          [idle, printing, commands].map((phase) => phase?.bridge.cpuPercent),
          1,
        ),
        fixed(result.rssMaxMiB, 0),
        joined([result.frameLatency?.p50Ms, result.frameLatency?.p99Ms], 1),
        joined([result.commandLatency?.p50Ms, result.commandLatency?.p99Ms], 1),
        mqttBytes(idle),
        mqttBytes(printing),
      ];
    }),
  };
}

function mqttBytes(phase: PhaseResult | undefined): string {
  if (!phase) return 'n/a';
  return `${kilobytes(phase.mqtt.sentPerPrinterHour)} / ${kilobytes(phase.mqtt.receivedPerPrinterHour)}`;
}
