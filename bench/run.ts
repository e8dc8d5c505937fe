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
  defaultSectionLabel,
  describeMachine,
  readMachineInfo,
  updateResultsSection,
  type MachineInfo,
} from './benchmark-doc.js';
import { renderProfileSummary, summarizeCpuProfile } from './cpu-profile-summary.js';
import type { BenchScenario } from './host-protocols.js';
import { waitForQuietMachine } from './machine-load.js';
import { renderText, resultTables } from './results-table.js';
import { runStep } from './step-runner.js';
import type { StepResult } from './step-result.js';

const DOC_FILE = 'docs/benchmarks.md';

interface Step {
  printers: number;
  scenario: BenchScenario;
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

  const machine = await readMachineInfo();
  await mkdir(options.outDir, { recursive: true });
  write(`Machine: ${describeMachine(machine)}`);
  write(`Logs and profiles: ${options.outDir}`);
  const { results, failures } = await runSteps(options);

  for (const table of resultTables(results)) write(`\n${renderText(table)}`);
  for (const result of results) reportHealth(result);
  if (options.jsonFile) {
    await writeFile(options.jsonFile, `${JSON.stringify({ machine, results }, null, 2)}\n`);
  }
  if (options.writeDoc && results.length > 0) await writeDoc(options, machine, argv, results);
  // Removes the output folder when no step left files in it; rmdir fails on a folder with files.
  await rmdir(options.outDir).catch(() => undefined);
  return failures > 0 ? 1 : 0;
}

async function runSteps(
  options: BenchOptions,
): Promise<{ results: StepResult[]; failures: number }> {
  const steps: Step[] = options.scenarios.flatMap((scenario) =>
    options.printers.map((printers) => ({
      printers,
      scenario,
      dir: join(options.outDir, `${scenario}-${printers}`),
    })),
  );
  const results: StepResult[] = [];
  let failures = 0;
  for (const [index, step] of steps.entries()) {
    write(
      `\nStep ${index + 1}/${steps.length}: ${step.printers} printer(s), ${step.scenario}, ` +
        `${options.broker} broker, ${options.warmupSeconds} s warm-up, ${options.durationSeconds} s window`,
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
    const result = {
      ...(await runStep({ ...options, ...step, stepDir: step.dir })),
      attempts: attempt,
    };
    write(summaryLine(result));
    if (options.profile) await reportProfile(join(step.dir, 'bridge-host.cpuprofile'));
    const unrelated = result.machine.unrelatedCores;
    if (unrelated <= QUIET_BUSY_CORES || attempt > options.busyRetries) return result;
    write(
      `  Unrelated work used ${unrelated.toFixed(2)} cores during the window; running the step again`,
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

function summaryLine(result: StepResult): string {
  const latency = result.latency
    ? `, latency p50 ${result.latency.p50Ms.toFixed(1)} ms p99 ${result.latency.p99Ms.toFixed(1)} ms`
    : '';
  return (
    `  CPU ${result.bridge.cpuPercent.toFixed(1)}% of one core, ` +
    `RSS max ${result.bridge.rssMaxMiB.toFixed(0)} MiB${latency}`
  );
}

function reportHealth(result: StepResult): void {
  const { health, latency } = result;
  const label = `${result.printers} printer(s), ${result.scenario}`;
  if (latency) {
    write(
      `\n${label}: ${latency.probes.sent} pause/resume requests (${latency.probes.failed} failed), ` +
        `clock uncertainty ±${latency.clockUncertaintyMs.toFixed(3)} ms`,
    );
  }
  for (const example of latency?.missingExamples ?? []) {
    write(
      `${label}: no event for printer-${example.printer + 1} going ${example.state} ` +
        `${example.secondsIntoWindow.toFixed(1)} s into the window`,
    );
  }
  if (health.notRunning > 0 || health.outboxPending > 0) {
    write(`${label}: ${health.notRunning} bridge(s) not running, ${health.outboxPending} queued`);
  }
  for (const message of health.topMessages) write(`${label} bridge log: ${message}`);
}

async function reportProfile(file: string): Promise<void> {
  try {
    write(`  CPU profile of the window: ${file}`);
    write(renderProfileSummary(await summarizeCpuProfile(file)).replace(/^/gm, '    '));
  } catch (error) {
    write(`  Reading the CPU profile failed: ${errorMessage(error)}`);
  }
}

async function writeDoc(
  options: BenchOptions,
  machine: MachineInfo,
  argv: readonly string[],
  results: readonly StepResult[],
): Promise<void> {
  const command = benchCommand(argv);
  const probes =
    options.probeIntervalSeconds > 0
      ? `a pause or resume every ${options.probeIntervalSeconds} s per printer while printing`
      : 'no latency probes';
  const settings =
    `Each step: fresh processes, ${options.warmupSeconds} s warm-up, ` +
    `${options.durationSeconds} s window, simulator updates every ${options.updateIntervalMs} ms, ` +
    `${probes}.`;
  for (const scenario of options.scenarios) {
    const label = sectionLabel(options, scenario);
    const section = results.filter((result) => result.scenario === scenario);
    if (section.length === 0) continue;
    const date = new Date();
    await updateResultsSection(DOC_FILE, {
      label,
      command,
      machine,
      settings,
      results: section,
      date,
    });
    write(`Updated the ${label} results in ${DOC_FILE}`);
  }
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

function sectionLabel(options: BenchOptions, scenario: BenchScenario): string {
  const { docLabel } = options;
  if (!docLabel) return defaultSectionLabel(scenario, options.probeIntervalSeconds, options.broker);
  return options.scenarios.length > 1 ? `${docLabel}-${scenario}` : docLabel;
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
