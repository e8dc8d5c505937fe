import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

import type { BenchBroker } from './host-protocols.js';
import { collectLatencies } from './latency-collection.js';
import { readLogStats } from './log-stats.js';
import { measureWindow, type MeasuredWindow } from './phase-window.js';
import { StepHosts } from './step-hosts.js';
import {
  buildStepResult,
  type PhaseMarks,
  type PhaseName,
  type StepMeasurements,
  type StepResult,
} from './step-result.js';

/** Window lengths in seconds by phase, where 0 leaves a phase out. */
export type PhaseWindows = Record<PhaseName, number>;

export interface StepOptions {
  printers: number;
  broker: BenchBroker;
  /** Seconds before each window, after the previous window or change. */
  warmupSeconds: number;
  windows: PhaseWindows;
  /** Seconds between two pause or resume commands to one printer in the commands phase. */
  probeIntervalSeconds: number;
  updateIntervalMs: number;
  /** Folder of this step: bridge data, the bridge log and, when profiling, the CPU profiles. */
  stepDir: string;
  profile: boolean;
  keepFiles: boolean;
  logLevel: string;
}

type Measured = Omit<StepMeasurements, 'logStats'>;

/**
 * Runs one step with fresh processes. It starts and links the printers, which are idle, and
 * measures the idle window. It then starts a print on every printer and measures the printing
 * window, and sends pause and resume commands from the cloud during the commands window. Every
 * wait is bounded, and the processes are stopped by PID even when the step fails.
 */
export async function runStep(options: StepOptions): Promise<StepResult> {
  await mkdir(options.stepDir, { recursive: true });
  const logFile = join(options.stepDir, 'bridge-host.log');
  const hosts = await StepHosts.start({ ...options, logFile });
  let measured: Measured;
  try {
    measured = await measure(hosts, options);
  } finally {
    await hosts.stop();
  }
  const result = buildStepResult({ ...measured, logStats: await readLogStats(logFile) });
  if (!options.keepFiles && !options.profile) {
    await rm(options.stepDir, { recursive: true, force: true });
  }
  return result;
}

async function measure(hosts: StepHosts, options: StepOptions): Promise<Measured> {
  const { windows } = options;
  const phases: Partial<Record<PhaseName, PhaseMarks>> = {};
  if (windows.idle > 0) phases.idle = (await window(hosts, options, 'idle')).marks;
  if (windows.printing > 0 || windows.commands > 0) await startPrints(hosts, options.printers);
  if (windows.printing > 0) phases.printing = (await window(hosts, options, 'printing')).marks;

  let latencies: Pick<Measured, 'frameLatency' | 'commandLatency'> = {};
  if (windows.commands > 0) {
    const intervalMs = options.probeIntervalSeconds * 1000;
    await hosts.cloud.request('probe-start', { deviceIds: hosts.deviceIds(), intervalMs });
    const measured = await window(hosts, options, 'commands');
    phases.commands = measured.marks;
    latencies = await collectLatencies(hosts, { from: measured.from, to: measured.to, intervalMs });
  }

  if (!hosts.bridgeBaseline) throw new Error('The bridge host reported no baseline');
  return {
    printers: options.printers,
    broker: options.broker,
    connectMs: hosts.connectMs,
    bridgeBaseline: hosts.bridgeBaseline,
    phases,
    ...latencies,
    summary: await hosts.bridges.request('summary', undefined),
  };
}

function window(hosts: StepHosts, options: StepOptions, phase: PhaseName): Promise<MeasuredWindow> {
  return measureWindow(hosts, {
    phase,
    warmupSeconds: options.warmupSeconds,
    windowSeconds: options.windows[phase],
    profile: options.profile,
    stepDir: options.stepDir,
  });
}

async function startPrints(hosts: StepHosts, printers: number): Promise<void> {
  const { started, failures } = await hosts.simulators.request(
    'start-prints',
    undefined,
    30_000 + printers * 100,
  );
  if (started === printers) return;
  throw new Error(
    `Only ${started} of ${printers} prints started: ${failures.join('; ') || 'no reason given'}`,
  );
}
