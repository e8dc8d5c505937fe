import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { CodedError } from '../main/support/coded-error.js';
import type { BenchBroker, BenchScenario } from './host-protocols.js';

export interface BenchOptions {
  printers: number[];
  scenarios: BenchScenario[];
  broker: BenchBroker;
  durationSeconds: number;
  warmupSeconds: number;
  probeIntervalSeconds: number;
  updateIntervalMs: number;
  profile: boolean;
  writeDoc: boolean;
  outDir: string;
  keepFiles: boolean;
  logLevel: string;
  /** Maximum wait for a quiet machine before each step, in seconds; 0 skips the check. */
  quietWaitSeconds: number;
  /** How often a step is run again when unrelated work kept the machine busy during it. */
  busyRetries: number;
  /** Names the results section in docs/benchmarks.md instead of the default label. */
  docLabel?: string;
  jsonFile?: string;
  help: boolean;
}

/**
 * A bridge limits print events to 30 a minute per printer, so probes closer together than this
 * would be delayed by that limit and measure it instead of the path to the broker.
 */
const MIN_PROBE_INTERVAL_SECONDS = 2.5;
const MAX_PRINTERS = 500;
/** Busy cores below which the machine counts as quiet enough to start a step. */
export const QUIET_BUSY_CORES = 0.3;

export const BENCH_USAGE = `Usage: npm run bench -- [options]

Runs the bridges against Moonraker simulators and the local cloud, one step per printer count,
each with fresh processes, and prints CPU, memory, latency and traffic per step.

Options:
  --printers LIST         Printer counts, one step each (default 1,10,50; at most ${MAX_PRINTERS})
  --duration SECONDS      Measuring window of each step (default 60)
  --warmup SECONDS        Time between all bridges connected and the window (default 10)
  --scenario LIST         Simulator scenarios: printing, idle, or both as printing,idle
                          (default printing)
  --broker NAME           embedded (the local cloud's own broker) or mosquitto (default embedded)
  --probe-interval SECONDS  Seconds between pause/resume requests to one printer, for the
                          latency probes; 0 turns them off (default 3, at least ${MIN_PROBE_INTERVAL_SECONDS})
  --update-interval-ms MS Simulator status update interval (default 250, as Moonraker)
  --cpu-prof              Write a V8 CPU profile of the bridge host over each window
  --write-doc             Update the results section of docs/benchmarks.md
  --json FILE             Also write the results as JSON
  --out DIR               Folder for logs and profiles (default a new folder in ${tmpdir()})
  --keep                  Keep each step's data and bridge log
  --log-level LEVEL       Bridge log level, written to the step folder (default info)
  --quiet-wait SECONDS    Before each step, wait up to this long for other work on the machine
                          to drop below ${QUIET_BUSY_CORES} busy cores; 0 skips the check (default 30)
  --busy-retries N        Run a step again, up to N times, when unrelated work used more than
                          ${QUIET_BUSY_CORES} cores during its window (default 0)
  --doc-label NAME        Results section to update with --write-doc (default from the scenario,
                          the probes and the broker, such as printing-embedded); with two
                          scenarios, the scenario is appended
  --help                  Show this help`;

export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      printers: { type: 'string', default: '1,10,50' },
      duration: { type: 'string', default: '60' },
      warmup: { type: 'string', default: '10' },
      scenario: { type: 'string', default: 'printing' },
      broker: { type: 'string', default: 'embedded' },
      'probe-interval': { type: 'string', default: '3' },
      'update-interval-ms': { type: 'string', default: '250' },
      'cpu-prof': { type: 'boolean', default: false },
      'write-doc': { type: 'boolean', default: false },
      json: { type: 'string' },
      out: { type: 'string' },
      keep: { type: 'boolean', default: false },
      'log-level': { type: 'string', default: 'info' },
      'quiet-wait': { type: 'string', default: '30' },
      'busy-retries': { type: 'string', default: '0' },
      'doc-label': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  const probeIntervalSeconds = parseNumber(values['probe-interval'], 'probe-interval', 0, 600);
  if (probeIntervalSeconds > 0 && probeIntervalSeconds < MIN_PROBE_INTERVAL_SECONDS) {
    throw invalid(`--probe-interval must be 0 or at least ${MIN_PROBE_INTERVAL_SECONDS} seconds`);
  }
  return {
    printers: parseList(values.printers, 'printers').map((item) => parseCount(item)),
    scenarios: parseList(values.scenario, 'scenario').map(parseScenario),
    broker: parseBroker(values.broker),
    durationSeconds: parseNumber(values.duration, 'duration', 5, 3600),
    warmupSeconds: parseNumber(values.warmup, 'warmup', 0, 600),
    probeIntervalSeconds,
    updateIntervalMs: parseNumber(values['update-interval-ms'], 'update-interval-ms', 10, 60_000),
    profile: values['cpu-prof'],
    writeDoc: values['write-doc'],
    outDir: values.out ?? join(tmpdir(), `moonraker-owl-bench-${Date.now()}`),
    keepFiles: values.keep,
    logLevel: values['log-level'],
    quietWaitSeconds: parseNumber(values['quiet-wait'], 'quiet-wait', 0, 3600),
    busyRetries: parseNumber(values['busy-retries'], 'busy-retries', 0, 10),
    ...(values['doc-label'] ? { docLabel: values['doc-label'] } : {}),
    ...(values.json ? { jsonFile: values.json } : {}),
    help: values.help,
  };
}

function parseList(text: string, option: string): string[] {
  const items = text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (items.length === 0) throw invalid(`--${option} must list at least one value`);
  return items;
}

function parseCount(text: string): number {
  const count = Number(text);
  if (!Number.isInteger(count) || count < 1 || count > MAX_PRINTERS) {
    throw invalid(`--printers takes whole numbers from 1 to ${MAX_PRINTERS}, got "${text}"`);
  }
  return count;
}

function parseNumber(text: string, option: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw invalid(`--${option} must be a number from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

function parseScenario(text: string): BenchScenario {
  if (text === 'printing' || text === 'idle') return text;
  throw invalid(`--scenario takes printing or idle, got "${text}"`);
}

function parseBroker(text: string): BenchBroker {
  if (text === 'embedded' || text === 'mosquitto') return text;
  throw invalid(`--broker takes embedded or mosquitto, got "${text}"`);
}

function invalid(message: string): CodedError<'bench_invalid_option'> {
  return new CodedError('bench_invalid_option', `Invalid option: ${message}`);
}
