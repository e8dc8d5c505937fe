/**
 * `npm run bench`: bridges fed by Moonraker simulators, measured step by step. See
 * docs/benchmarks.md for what each number means.
 */
import { mkdir, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { errorMessage } from '../main/support/coded-error.js';
import {
  BENCH_USAGE,
  QUIET_BUSY_CORES,
  parseBenchOptions,
  type BenchOptions,
} from './bench-options.js';
import {
  describeMachine,
  readMachineInfo,
  writeBenchmarkDoc,
  type MachineInfo,
} from './benchmark-doc.js';
import { renderProfileSummary, summarizeCpuProfile } from './cpu-profile-summary.js';
import { waitForQuietMachine } from './machine-load.js';
import { profileFile } from './phase-window.js';
import { resultTables } from './results-table.js';
import { reportHealth, summaryLine } from './step-report.js';
import { runStep } from './step-runner.js';
import { PHASE_NAMES, type StepResult } from './step-result.js';
import { renderText } from './table-format.js';
import { targetsTable } from './targets.js';
import { countOf } from '../main/support/count-of.js';

const DOC_FILE = 'docs/benchmarks.md';

interface Step {
  printers: number;
  dir: string;
}

async function main(argv: string[]): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseBenchOptions(argv);
  } catch (error) {
    process.stderr.write(`${errorMessage(error)}\n\n${BENCH_USAGE}\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(`${BENCH_USAGE}\n`);
    return 0;
  }

  const startedAt = performance.now();
  const machine = await readMachineInfo();
  await mkdir(options.outDir, { recursive: true });
  write(`Machine: ${describeMachine(machine)}`);
  write(`Logs and profiles: ${options.outDir}`);
  const { results, failures } = await runSteps(options);
  const runSeconds = (performance.now() - startedAt) / 1000;

  for (const table of [targetsTable(results), ...resultTables(results)]) {
    write(`\n${renderText(table)}`);
  }
  write('');
  for (const result of results) reportHealth(result, write);
  write(`\nThe run took ${(runSeconds / 60).toFixed(1)} min.`);
  if (options.jsonFile) {
    await writeFile(options.jsonFile, `${JSON.stringify({ machine, results }, null, 2)}\n`);
  }
  if (options.writeDoc && results.length > 0) {
    await writeDoc(options, { machine, argv, results, runSeconds });
  }
  // Removes the output folder when no step left files in it; rmdir fails on a folder with files.
  await rmdir(options.outDir).catch(() => undefined);
  return failures > 0 ? 1 : 0;
}

async function runSteps(
  options: BenchOptions,
): Promise<{ results: StepResult[]; failures: number }> {
  const steps: Step[] = options.printers.map((printers) => ({
    printers,
    dir: join(options.outDir, `printers-${printers}`),
  }));
  const { idle, printing, commands } = options.windows;
  const results: StepResult[] = [];
  let failures = 0;
  for (const [index, step] of steps.entries()) {
    write(
      `\nStep ${index + 1}/${steps.length}: ${countOf(step.printers, 'printer')}, ${options.broker} broker, ` +
        `windows idle ${idle} s, printing ${printing} s, commands ${commands} s, ` +
        `each after ${options.warmupSeconds} s`,
    );
    try {
      results.push(await runWithRetries(options, step));
    } catch (error) {
      failures += 1;
      write(`  Step failed: ${errorMessage(error)} (files in ${step.dir})`);
    }
  }
  return { results, failures };
}

/** Runs a step, and again while unrelated work kept the machine busy, up to the retry limit. */
async function runWithRetries(options: BenchOptions, step: Step): Promise<StepResult> {
  for (let attempt = 1; ; attempt += 1) {
    await waitUntilQuiet(options.quietWaitSeconds);
    const startedAt = performance.now();
    const result = {
      ...(await runStep({ ...options, printers: step.printers, stepDir: step.dir })),
      attempts: attempt,
    };
    const seconds = (performance.now() - startedAt) / 1000;
    write(`${summaryLine(result)} (${seconds.toFixed(0)} s)`);
    if (options.profile) await reportProfiles(step.dir, result);
    const unrelated = Math.max(
      ...Object.values(result.phases).map((phase) => phase.machine.unrelatedCores),
    );
    if (!(unrelated > QUIET_BUSY_CORES) || attempt > options.busyRetries) return result;
    write(
      `  Unrelated work used ${unrelated.toFixed(2)} cores during a window; running the step again`,
    );
  }
}

async function waitUntilQuiet(timeoutSeconds: number): Promise<void> {
  if (timeoutSeconds <= 0) return;
  const wait = await waitForQuietMachine(QUIET_BUSY_CORES, timeoutSeconds);
  const busy = `${wait.busyCores.toFixed(2)} cores busy`;
  if (!wait.quiet) {
    write(
      `  The machine stayed busy (${busy}) for ${wait.waitedSeconds.toFixed(0)} s; measuring anyway`,
    );
  } else if (wait.checks > 1) {
    write(`  Waited ${wait.waitedSeconds.toFixed(0)} s for a quiet machine (${busy})`);
  }
}

async function reportProfiles(stepDir: string, result: StepResult): Promise<void> {
  for (const phase of PHASE_NAMES) {
    if (!result.phases[phase]) continue;
    const file = profileFile(stepDir, phase);
    try {
      write(`  CPU profile of the ${phase} window: ${file}`);
      write(renderProfileSummary(await summarizeCpuProfile(file)).replace(/^/gm, '    '));
    } catch (error) {
      write(`  Reading the CPU profile failed: ${errorMessage(error)}`);
    }
  }
}

interface RunRecord {
  machine: MachineInfo;
  argv: readonly string[];
  results: readonly StepResult[];
  runSeconds: number;
}

async function writeDoc(options: BenchOptions, run: RunRecord): Promise<void> {
  await writeBenchmarkDoc(DOC_FILE, {
    command: benchCommand(run.argv),
    machine: run.machine,
    settings: options,
    results: run.results,
    date: new Date(),
    runSeconds: run.runSeconds,
  });
  write(`Wrote ${DOC_FILE}`);
}

/** Options that only choose where output goes; the recorded command leaves them out. */
const OUTPUT_OPTIONS = new Set(['--json', '--out']);

/** Rebuilds the command line of this run for the document, without the output options. */
function benchCommand(argv: readonly string[]): string {
  const kept: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index] ?? '';
    const name = argument.split('=')[0] ?? '';
    if (!OUTPUT_OPTIONS.has(name)) kept.push(argument);
    else if (!argument.includes('=')) index += 1;
  }
  return `npm run bench${kept.length > 0 ? ` -- ${kept.join(' ')}` : ''}`;
}

function write(line: string): void {
  process.stdout.write(`${line}\n`);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench: ${errorMessage(error)}\n`);
    process.exitCode = 1;
  },
);
