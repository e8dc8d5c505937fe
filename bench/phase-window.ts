import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { busyCores, readMachineCpuTimes, type MachineCpuTimes } from './machine-load.js';
import type { StepHosts } from './step-hosts.js';
import type { PhaseMarks, PhaseName } from './step-result.js';

export interface PhaseWindowOptions {
  phase: PhaseName;
  warmupSeconds: number;
  windowSeconds: number;
  /** Writes a V8 CPU profile of the bridge host over the window into `stepDir`. */
  profile: boolean;
  stepDir: string;
}

/** A measured window with its bounds on the orchestrator's clock (`performance.now()`). */
export interface MeasuredWindow {
  marks: PhaseMarks;
  from: number;
  to: number;
}

/** Returns the file the bridge host's CPU profile of a window goes to. */
export function profileFile(stepDir: string, phase: PhaseName): string {
  return join(stepDir, `bridge-host-${phase}.cpuprofile`);
}

/**
 * Waits for the warm-up, then measures one window: every host takes a mark when it opens and
 * when it closes, each pair requested at the same moment, and /proc/stat is read around them.
 */
export async function measureWindow(
  hosts: StepHosts,
  options: PhaseWindowOptions,
): Promise<MeasuredWindow> {
  await sleep(options.warmupSeconds * 1000);

  const from = performance.now();
  const [machineStart, orchestratorStart] = [await readMachineCpuTimes(), process.cpuUsage()];
  const [bridgeStart, simStart, cloudStart] = await Promise.all([
    hosts.bridges.request('window-start', { profile: options.profile }),
    hosts.simulators.request('window-start', undefined),
    hosts.cloud.request('window-start', undefined),
  ]);
  await sleep(options.windowSeconds * 1000);
  const file = options.profile ? profileFile(options.stepDir, options.phase) : undefined;
  const [bridgeEnd, simEnd, cloudEnd] = await Promise.all([
    hosts.bridges.request('window-end', file ? { profileFile: file } : {}),
    hosts.simulators.request('window-end', undefined),
    hosts.cloud.request('window-end', undefined),
  ]);
  const to = performance.now();
  const machineEnd = await readMachineCpuTimes();
  const orchestratorCpu = process.cpuUsage(orchestratorStart);
  const orchestratorCores = (orchestratorCpu.user + orchestratorCpu.system) / 1000 / (to - from);

  const marks: PhaseMarks = {
    bridge: [bridgeStart, bridgeEnd],
    simulators: [simStart, simEnd],
    cloud: [cloudStart, cloudEnd],
    machine: { ...machineCores(machineStart, machineEnd), orchestratorCores },
  };
  return { marks, from, to };
}

function machineCores(
  start: MachineCpuTimes | undefined,
  end: MachineCpuTimes | undefined,
): { busyCores: number; interruptCores: number } {
  if (!start || !end) return { busyCores: Number.NaN, interruptCores: Number.NaN };
  return { busyCores: busyCores(start, end), interruptCores: busyCores(start, end, 'interrupts') };
}
