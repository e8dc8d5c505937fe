import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { CodedError } from '../main/support/coded-error.js';
import type { BenchBroker } from './host-protocols.js';
import type { PhaseWindows } from './step-runner.js';

export interface BenchOptions {
  printers: number[];
  broker: BenchBroker;
  /** Window lengths in seconds by phase, where 0 leaves a phase out. */
  windows: PhaseWindows;
  /** Seconds before each window, after the previous window or change. */
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
  jsonFile?: string;
  help: boolean;
}

/**
 * A bridge limits print events to 30 a minute per printer, so commands closer together than this
 * would be delayed by that limit and the events would measure it instead of the path to the broker.
 */
const MIN_PROBE_INTERVAL_SECONDS = 2.5;
const MAX_PRINTERS = 500;
const MAX_WINDOW_SECONDS = 3600;
/** Busy cores below which the machine counts as quiet enough to start a step. */
export const QUIET_BUSY_CORES = 0.3;

export const BENCH_USAGE = `Usage: npm run bench -- [options]

Runs the bridges against Moonraker simulators and the local cloud, one step per printer count,
each with fresh processes. A step measures three windows in turn: idle printers, printing
printers, and printing printers that get a pause or resume command from the cloud every few
seconds. It prints CPU, memory, latencies and MQTT traffic per step.

Options:
  --printers LIST           Printer counts, one step each (default 1,10,50,100,200; at most ${MAX_PRINTERS})
  --idle-window SECONDS     Window with the printers connected and idle, or 0 to leave it out
                            (default 60)
  --printing-window SECONDS Window with every printer printing, or 0 to leave it out (default 30)
  --command-window SECONDS  Window with pause and resume commands from the cloud, which gives both
                            latencies, or 0 to leave it out (default 20)
  --warmup SECONDS          Wait before each window (default 3)
  --probe-interval SECONDS  Seconds between two commands to one printer (default 3, at least
                            ${MIN_PROBE_INTERVAL_SECONDS})
  --broker NAME             embedded (the local cloud's own broker) or mosquitto (default embedded)
  --update-interval-ms MS   Simulator status update interval (default 250, as Moonraker)
  --cpu-prof                Write a V8 CPU profile of the bridge host over each window
  --write-doc               Write docs/benchmarks.md from the results, keeping its notes section
  --json FILE               Also write the results as JSON
  --out DIR                 Folder for logs and profiles (default a new folder in ${tmpdir()})
  --keep                    Keep each step's data and bridge log
  --log-level LEVEL         Bridge log level, written to the step folder (default info)
  --quiet-wait SECONDS      Before each step, wait up to this long for other work on the machine
                            to drop below ${QUIET_BUSY_CORES} busy cores; 0 skips the check (default 30)
  --busy-retries N          Run a step again, up to N times, when unrelated work used more than
                            ${QUIET_BUSY_CORES} cores during one of its windows (default 0)
  --help                    Show this help`;

export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      printers: { type: 'string', default: '1,10,50,100,200' },
      'idle-window': { type: 'string', default: '60' },
      'printing-window': { type: 'string', default: '30' },
      'command-window': { type: 'string', default: '20' },
      warmup: { type: 'string', default: '3' },
      'probe-interval': { type: 'string', default: '3' },
      broker: { type: 'string', default: 'embedded' },
      'update-interval-ms': { type: 'string', default: '250' },
      'cpu-prof': { type: 'boolean', default: false },
      'write-doc': { type: 'boolean', default: false },
      json: { type: 'string' },
      out: { type: 'string' },
      keep: { type: 'boolean', default: false },
      'log-level': { type: 'string', default: 'info' },
      'quiet-wait': { type: 'string', default: '30' },
      'busy-retries': { type: 'string', default: '0' },
      help: { type: 'boolean', default: false },
    },
  });
  return {
    printers: parseList(values.printers, 'printers').map((item) => parseCount(item)),
    broker: parseBroker(values.broker),
    windows: parseWindows(values),
    warmupSeconds: parseNumber(values.warmup, 'warmup', 0, 600),
    probeIntervalSeconds: parseNumber(
      values['probe-interval'],
      'probe-interval',
      MIN_PROBE_INTERVAL_SECONDS,
      600,
    ),
    updateIntervalMs: parseNumber(values['update-interval-ms'], 'update-interval-ms', 10, 60_000),
    profile: values['cpu-prof'],
    writeDoc: values['write-doc'],
    outDir: values.out ?? join(tmpdir(), `moonraker-owl-bench-${Date.now()}`),
    keepFiles: values.keep,
    logLevel: values['log-level'],
    quietWaitSeconds: parseNumber(values['quiet-wait'], 'quiet-wait', 0, 3600),
    busyRetries: parseNumber(values['busy-retries'], 'busy-retries', 0, 10),
    ...(values.json ? { jsonFile: values.json } : {}),
    help: values.help,
  };
}

/** Reads the three window lengths. A window is 0 (left out) or at least 5 s long. */
function parseWindows(values: Record<string, string | boolean | undefined>): PhaseWindows {
  const read = (option: string): number => {
    const seconds = parseNumber(String(values[option]), option, 0, MAX_WINDOW_SECONDS);
    if (seconds > 0 && seconds < 5) throw invalid(`--${option} must be 0 or at least 5 seconds`);
    return seconds;
  };
  const windows: PhaseWindows = {
    idle: read('idle-window'),
    printing: read('printing-window'),
    commands: read('command-window'),
  };
  if (Object.values(windows).every((seconds) => seconds === 0)) {
    throw invalid(
      'at least one of --idle-window, --printing-window and --command-window must be above 0',
    );
  }
  return windows;
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

function parseBroker(text: string): BenchBroker {
  if (text === 'embedded' || text === 'mosquitto') return text;
  throw invalid(`--broker takes embedded or mosquitto, got "${text}"`);
}

function invalid(message: string): CodedError<'bench_invalid_option'> {
  return new CodedError('bench_invalid_option', `Invalid option: ${message}`);
}
