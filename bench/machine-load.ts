import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

/** CPU time of all cores, from the first line of /proc/stat, in clock ticks. */
export interface MachineCpuTimes {
  busy: number;
  /** Hard and soft interrupt time, which Linux charges to no process; part of `busy`. */
  interrupts: number;
  total: number;
}

/** Reads /proc/stat; undefined where it cannot be read (not Linux). */
export async function readMachineCpuTimes(): Promise<MachineCpuTimes | undefined> {
  const text = await readFile('/proc/stat', 'utf8').catch(() => undefined);
  const line = text?.split('\n')[0];
  if (!line?.startsWith('cpu ')) return undefined;
  // Fields: user nice system idle iowait irq softirq steal guest guest_nice. Guest time is
  // already part of user and nice, so it is left out of the total.
  const fields = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = fields.reduce((sum, value) => sum + value, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  const interrupts = (fields[5] ?? 0) + (fields[6] ?? 0);
  return { busy: total - idle, interrupts, total };
}

/** Busy cores between two readings: 2.0 means two cores were busy the whole time. */
export function busyCores(
  start: MachineCpuTimes,
  end: MachineCpuTimes,
  part: 'busy' | 'interrupts' = 'busy',
): number {
  const total = end.total - start.total;
  if (total <= 0) return 0;
  return ((end[part] - start[part]) / total) * availableParallelism();
}

export interface QuietWaitResult {
  /** Busy cores in the last check. */
  busyCores: number;
  waitedSeconds: number;
  /** Number of 3 s checks made: 1 when the machine was quiet at once. */
  checks: number;
  quiet: boolean;
}

const CHECK_SECONDS = 3;

/**
 * Waits until the machine is quiet: fewer than `maxBusyCores` busy over a 3 s check, checked
 * again and again for at most `timeoutSeconds`. Other work on the machine would otherwise slow
 * the processes under test and show up as latency.
 */
export async function waitForQuietMachine(
  maxBusyCores: number,
  timeoutSeconds: number,
): Promise<QuietWaitResult> {
  const startedAt = performance.now();
  const checks = Math.max(1, Math.ceil(timeoutSeconds / CHECK_SECONDS));
  let busy = 0;
  for (let check = 0; check < checks; check += 1) {
    const start = await readMachineCpuTimes();
    await sleep(CHECK_SECONDS * 1000);
    const end = await readMachineCpuTimes();
    if (!start || !end) return { busyCores: 0, waitedSeconds: 0, checks: check + 1, quiet: true };
    busy = busyCores(start, end);
    const waitedSeconds = (performance.now() - startedAt) / 1000;
    if (busy < maxBusyCores)
      return { busyCores: busy, waitedSeconds, checks: check + 1, quiet: true };
  }
  const waitedSeconds = (performance.now() - startedAt) / 1000;
  return { busyCores: busy, waitedSeconds, checks, quiet: false };
}
