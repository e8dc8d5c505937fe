import { readFile, writeFile } from 'node:fs/promises';
import { availableParallelism, release, totalmem, type as osType } from 'node:os';

import type { BenchBroker, BenchScenario } from './host-protocols.js';
import { renderMarkdown, resultTables } from './results-table.js';
import type { StepResult } from './step-result.js';

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  os: string;
}

export async function readMachineInfo(): Promise<MachineInfo> {
  const cpuinfo = await readFile('/proc/cpuinfo', 'utf8').catch(() => '');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim();
  return {
    cores: availableParallelism(),
    cpuModel: model ?? 'unknown CPU model',
    memoryGiB: totalmem() / 1024 ** 3,
    node: process.version,
    os: `${osType()} ${release()}`,
  };
}

export function describeMachine(machine: MachineInfo): string {
  return (
    `${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB.toFixed(1)} GiB memory, ` +
    `Node ${machine.node}, ${machine.os}`
  );
}

export interface ResultsSection {
  /** Names the section in the document, such as `printing-embedded`. */
  label: string;
  command: string;
  machine: MachineInfo;
  settings: string;
  results: readonly StepResult[];
  date: Date;
}

/** Returns the section a run updates without `--doc-label`, such as `printing-no-probes-mosquitto`. */
export function defaultSectionLabel(
  scenario: BenchScenario,
  probeIntervalSeconds: number,
  broker: BenchBroker,
): string {
  const probes = scenario === 'printing' && probeIntervalSeconds === 0 ? '-no-probes' : '';
  return `${scenario}${probes}-${broker}`;
}

/** Renders one results section as Markdown, without its markers. */
export function renderResultsSection(section: ResultsSection): string {
  const tables = resultTables(section.results).map(renderMarkdown);
  return [
    `Measured ${section.date.toISOString().slice(0, 10)} on ${describeMachine(section.machine)}.`,
    '',
    `Command: \`${section.command}\``,
    '',
    section.settings,
    '',
    tables.join('\n\n'),
  ].join('\n');
}

/**
 * Replaces the text between the section's start and end markers in the Markdown file, or appends
 * the section with its markers when the file has none yet. Other sections stay as they are.
 */
export async function updateResultsSection(file: string, section: ResultsSection): Promise<void> {
  const start = `<!-- bench-results:${section.label}:start -->`;
  const end = `<!-- bench-results:${section.label}:end -->`;
  const body = `${start}\n${renderResultsSection(section)}\n${end}`;
  const current = await readFile(file, 'utf8').catch(() => '');
  const startIndex = current.indexOf(start);
  const endIndex = current.indexOf(end);
  const next =
    startIndex >= 0 && endIndex > startIndex
      ? current.slice(0, startIndex) + body + current.slice(endIndex + end.length)
      : `${current.trimEnd()}\n\n### Results: ${section.label}\n\n${body}\n`;
  await writeFile(file, next);
}
