import { readFile, writeFile } from 'node:fs/promises';
import { availableParallelism, release, totalmem, type as osType } from 'node:os';

import { format } from 'prettier';

import { renderMethod, type BenchSettings } from './benchmark-method.js';
import { resultTables } from './results-table.js';
import type { StepResult } from './step-result.js';
import { renderMarkdown } from './table-format.js';
import { targetsTable } from './targets.js';

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

/** One run of the benchmark, as the document reports it. */
export interface BenchmarkReport {
  command: string;
  machine: MachineInfo;
  settings: BenchSettings;
  results: readonly StepResult[];
  date: Date;
  /** Wall-clock time of the whole run. */
  runSeconds: number;
}

/**
 * The line that ends the generated part of the document. What follows it is written by hand and
 * kept when the document is written again.
 */
export const NOTES_MARKER =
  '<!-- Written by `npm run bench -- --write-doc` down to here; the notes below are kept. -->';

const MARKDOWN_FORMAT = { parser: 'markdown', printWidth: 100, proseWrap: 'always' } as const;

const SUMMARY_NOTE = `CPU is in % of one core in each window. MQTT bytes are wire bytes on the bridges'
broker connections, where sent is device → broker and received is broker → device. The method
below says what each number measures.`;

const DEFAULT_NOTES = '\n## Notes\n\nObservations about these results, written by hand.\n';

/** Renders the whole document: results, targets, method and usage, then the notes. */
export function renderBenchmarkDoc(report: BenchmarkReport, notes: string): string {
  const tables = resultTables(report.results).map(renderMarkdown);
  const [summary = '', ...details] = tables;
  const sections = [
    '# Benchmarks',
    introduction(report),
    '## Results',
    renderMarkdown(targetsTable(report.results)),
    summary,
    SUMMARY_NOTE,
    '### Details',
    details.join('\n\n'),
    renderMethod(report.settings),
    usage(),
    NOTES_MARKER,
  ];
  return sections.join('\n\n') + notes;
}

/** Returns the hand-written notes after the marker, or a notes heading when there is no marker. */
export function notesOf(document: string): string {
  const index = document.indexOf(NOTES_MARKER);
  if (index < 0) return DEFAULT_NOTES;
  return document.slice(index + NOTES_MARKER.length);
}

/**
 * Writes the document, keeping the notes of the file that is there. Prettier wraps the prose at
 * 100 columns and aligns the tables, so that the Markdown source reads well too.
 */
export async function writeBenchmarkDoc(file: string, report: BenchmarkReport): Promise<void> {
  const current = await readFile(file, 'utf8').catch(() => '');
  const text = renderBenchmarkDoc(report, notesOf(current));
  await writeFile(file, await format(text, MARKDOWN_FORMAT));
}

function introduction(report: BenchmarkReport): string {
  const minutes = (report.runSeconds / 60).toFixed(1);
  return `\`npm run bench\` runs N bridges against N simulated Moonraker printers and the local cloud on
one machine, one step per printer count. It measures the bridges' CPU and memory, the latency from
a Moonraker frame to the broker and from a cloud command to Moonraker, and the MQTT bytes per
printer-hour while idle and while printing. The method is described below the results.

Measured ${report.date.toISOString().slice(0, 10)} on ${describeMachine(report.machine)}, with
\`${report.command}\`. The run took ${minutes} min.`;
}

function usage(): string {
  return `## Running it

\`\`\`
npm run bench                                # 1, 10, 50, 100 and 200 printers
npm run bench -- --printers 1,10             # fewer steps
npm run bench -- --idle-window 120 --printing-window 60 --command-window 60
npm run bench -- --broker mosquitto          # Debian mosquitto instead of the embedded broker
npm run bench -- --cpu-prof                  # V8 CPU profile of the bridge host over each window
npm run bench -- --write-doc                 # write this page from the results
npm run bench -- --help
\`\`\`

\`--write-doc\` writes this page down to the notes marker and keeps the notes below it. The unit
tests of the benchmark's own logic run with the other tests (\`npm test\`).`;
}
