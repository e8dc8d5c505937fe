import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { measureClockOffset, toLocalTime, type ClockOffset } from './clock-offset.js';
import type { BenchBroker, BenchScenario, EventReceipt, ProbeCounts } from './host-protocols.js';
import { busyCores, readMachineCpuTimes } from './machine-load.js';
import { matchLatencies, type ProbeReceipt, type StateChange } from './latency-matcher.js';
import { readLogStats } from './log-stats.js';
import { StepHosts } from './step-hosts.js';
import { buildStepResult, type StepMeasurements, type StepResult } from './step-result.js';

export interface StepOptions {
  printers: number;
  scenario: BenchScenario;
  broker: BenchBroker;
  warmupSeconds: number;
  durationSeconds: number;
  /** Seconds between two pause or resume requests to one printer; 0 turns the probes off. */
  probeIntervalSeconds: number;
  updateIntervalMs: number;
  /** Folder of this step: bridge data, the bridge log and, when profiling, the CPU profile. */
  stepDir: string;
  profile: boolean;
  keepFiles: boolean;
  logLevel: string;
}

/**
 * Runs one step with fresh processes: start and link, warm up with the probes running, measure for
 * the window, then stop everything. Every wait is bounded, and the processes are stopped by PID
 * even when the step fails.
 */
export async function runStep(options: StepOptions): Promise<StepResult> {
  await mkdir(options.stepDir, { recursive: true });
  const logFile = join(options.stepDir, 'bridge-host.log');
  const hosts = await StepHosts.start({ ...options, logFile });
  let measurements: Omit<StepMeasurements, 'logStats'>;
  try {
    measurements = await measure(hosts, options);
  } finally {
    await hosts.stop();
  }
  const result = buildStepResult({ ...measurements, logStats: await readLogStats(logFile) });
  if (!options.keepFiles && !options.profile) {
    await rm(options.stepDir, { recursive: true, force: true });
  }
  return result;
}

async function measure(
  hosts: StepHosts,
  options: StepOptions,
): Promise<Omit<StepMeasurements, 'logStats'>> {
  const probing = options.scenario === 'printing' && options.probeIntervalSeconds > 0;
  const intervalMs = options.probeIntervalSeconds * 1000;
  if (probing) await hosts.simulators.request('probe-start', { intervalMs });
  await sleep(options.warmupSeconds * 1000);

  const windowFrom = performance.now();
  const [machineStart, orchestratorStart] = [await readMachineCpuTimes(), process.cpuUsage()];
  const [bridgeStart, simStart, cloudStart] = await Promise.all([
    hosts.bridges.request('window-start', { profile: options.profile }),
    hosts.simulators.request('window-start', undefined),
    hosts.cloud.request('window-start', undefined),
  ]);
  await sleep(options.durationSeconds * 1000);
  const profileFile = options.profile ? join(options.stepDir, 'bridge-host.cpuprofile') : undefined;
  const [bridgeEnd, simEnd, cloudEnd] = await Promise.all([
    hosts.bridges.request('window-end', profileFile ? { profileFile } : {}),
    hosts.simulators.request('window-end', undefined),
    hosts.cloud.request('window-end', undefined),
  ]);
  const windowTo = performance.now();
  const machineEnd = await readMachineCpuTimes();
  const orchestratorCpu = process.cpuUsage(orchestratorStart);
  const bothReadings = machineStart && machineEnd ? { machineStart, machineEnd } : undefined;
  const machine = {
    busyCores: bothReadings
      ? busyCores(bothReadings.machineStart, bothReadings.machineEnd)
      : Number.NaN,
    interruptCores: bothReadings
      ? busyCores(bothReadings.machineStart, bothReadings.machineEnd, 'interrupts')
      : Number.NaN,
    orchestratorCores:
      (orchestratorCpu.user + orchestratorCpu.system) / 1000 / (windowTo - windowFrom),
  };

  const latency = probing
    ? await collectLatency(hosts, { from: windowFrom, to: windowTo, intervalMs })
    : undefined;
  if (!hosts.bridgeBaseline) throw new Error('The bridge host reported no baseline');
  return {
    printers: options.printers,
    scenario: options.scenario,
    broker: options.broker,
    connectMs: hosts.connectMs,
    bridgeBaseline: hosts.bridgeBaseline,
    bridge: [bridgeStart, bridgeEnd],
    simulators: [simStart, simEnd],
    cloud: [cloudStart, cloudEnd],
    ...(latency ? { latency } : {}),
    machine,
    summary: await hosts.bridges.request('summary', undefined),
  };
}

/**
 * Stops the probes, waits long enough for the last events to arrive, and pairs each pause and
 * resume sent in the window with its event, all on this process's clock.
 */
async function collectLatency(
  hosts: StepHosts,
  window: { from: number; to: number; intervalMs: number },
): Promise<NonNullable<StepMeasurements['latency']>> {
  const probes: ProbeCounts = await hosts.simulators.request('probe-stop', undefined);
  // A change sent just before the window closed has this long for its event to arrive.
  const maxLatencyMs = 2 * window.intervalMs;
  await sleep(maxLatencyMs);

  const [simulatorClock, cloudClock] = await Promise.all([
    measureClockOffset(() => hosts.simulators.request('clock', undefined)),
    measureClockOffset(() => hosts.cloud.request('clock', undefined)),
  ]);
  const [frames, receipts] = await Promise.all([
    hosts.simulators.request('state-frames', undefined, 60_000),
    hosts.cloud.request('receipts', undefined, 60_000),
  ]);
  const changes: StateChange[] = frames.map((frame) => ({
    ...frame,
    sentAt: toLocalTime(simulatorClock, frame.sentAt),
  }));
  const toleranceMs = simulatorClock.uncertaintyMs + cloudClock.uncertaintyMs;
  const match = matchLatencies(changes, localReceipts(receipts, cloudClock, hosts), {
    from: window.from,
    to: window.to,
    maxLatencyMs,
    toleranceMs,
  });
  return { match, windowFrom: window.from, clockUncertaintyMs: toleranceMs, probes };
}

function localReceipts(
  receipts: readonly EventReceipt[],
  cloudClock: ClockOffset,
  hosts: StepHosts,
): ProbeReceipt[] {
  const local: ProbeReceipt[] = [];
  for (const receipt of receipts) {
    const printer = hosts.printerIndex(receipt.deviceId);
    if (printer === undefined) continue;
    const receivedAt = toLocalTime(cloudClock, receipt.receivedAt);
    local.push({ printer, eventName: receipt.eventName, receivedAt });
  }
  return local;
}
