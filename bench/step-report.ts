import type { StepResult } from './step-result.js';
import { fixed, joined } from './table-format.js';
import { countOf } from '../main/support/count-of.js';

/** Formats one line about a finished step: CPU per window, RSS and both latencies. */
export function summaryLine(result: StepResult): string {
  const { idle, printing, commands } = result.phases;
  const cpu = joined(
    [idle, printing, commands].map((phase) => phase?.bridge.cpuPercent),
    1,
  );
  const parts = [`  CPU ${cpu} % of one core (idle / printing / commands)`];
  parts.push(`RSS max ${fixed(result.rssMaxMiB, 0)} MiB`);
  const { frameLatency: frame, commandLatency: command } = result;
  if (frame) parts.push(`frame → broker p50 / p99 ${joined([frame.p50Ms, frame.p99Ms], 1)} ms`);
  if (command) {
    parts.push(`command → Moonraker p50 / p99 ${joined([command.p50Ms, command.p99Ms], 1)} ms`);
  }
  return parts.join(', ');
}

/** Writes what a reader should look into: missing events, unmatched commands, bridge trouble. */
export function reportHealth(result: StepResult, write: (line: string) => void): void {
  const label = countOf(result.printers, 'printer');
  const { health, frameLatency: frame, commandLatency: command } = result;
  if (command) {
    write(
      `${label}: ${command.probes.sent} commands published (${command.probes.failed} failed), ` +
        `${command.unmatched} without a Moonraker request, ${command.unexpected} unexpected ` +
        `requests, clock uncertainty ±${fixed(command.clockUncertaintyMs, 3)} ms`,
    );
  }
  for (const example of command?.unmatchedExamples ?? []) {
    write(
      `${label}: no Moonraker request for ${example.command} ${example.commandId} to ` +
        `printer-${example.printer + 1}, sent ${fixed(example.secondsIntoWindow, 1)} s into the window`,
    );
  }
  for (const example of frame?.missingExamples ?? []) {
    write(
      `${label}: no event for printer-${example.printer + 1} going ${example.state} ` +
        `${fixed(example.secondsIntoWindow, 1)} s into the window`,
    );
  }
  if (health.notRunning > 0 || health.outboxPending > 0) {
    write(
      `${label}: ${countOf(health.notRunning, 'bridge')} not running, ${health.outboxPending} queued`,
    );
  }
  for (const message of health.topMessages) write(`${label} bridge log: ${message}`);
}
