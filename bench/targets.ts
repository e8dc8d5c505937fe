import type { StepResult } from './step-result.js';
import { fixed, type Table } from './table-format.js';

/** The printer count the targets are set for. */
export const TARGET_PRINTERS = 200;

const MIB = 1024 * 1024;
const MEGABYTE = 1_000_000;

export type TargetStatus = 'met' | 'not met' | 'not measured';

export interface TargetCheck {
  name: string;
  /** The limit in words, such as `≤ 10 % of one core`. */
  limit: string;
  /** The measured value in words, or `n/a`. */
  measured: string;
  status: TargetStatus;
}

interface TargetDefinition {
  name: string;
  limit: string;
  maximum: number;
  /** The measured value in the limit's unit, undefined when the step did not measure it. */
  value: (result: StepResult) => number | undefined;
  describe: (value: number, result: StepResult) => string;
}

/**
 * The targets for 200 printers. CPU is judged on the printing window, the steady load of a farm,
 * because the commands window adds a command every few seconds per printer, far more than a farm
 * sends. RSS is the largest value of the whole step. Each latency's p99 is that of the commands
 * window.
 */
const TARGETS: readonly TargetDefinition[] = [
  {
    name: 'Bridge CPU while printing',
    limit: '≤ 10 % of one core',
    maximum: 10,
    value: (result) => result.phases.printing?.bridge.cpuPercent,
    describe: (value) => `${fixed(value, 1)} %`,
  },
  {
    name: 'Bridge RSS, largest of the step',
    limit: `≤ 250 MB (${fixed((250 * MEGABYTE) / MIB, 1)} MiB)`,
    maximum: 250,
    value: (result) => (result.rssMaxMiB * MIB) / MEGABYTE,
    describe: (value, result) => `${fixed(value, 1)} MB (${fixed(result.rssMaxMiB, 1)} MiB)`,
  },
  {
    name: 'Moonraker frame → broker, p99',
    limit: '≤ 25 ms',
    maximum: 25,
    value: (result) => result.frameLatency?.p99Ms,
    describe: (value, result) =>
      `${fixed(value, 1)} ms (${result.frameLatency?.missing ?? 0} missing)`,
  },
  {
    name: 'Cloud command → Moonraker request, p99',
    limit: '≤ 25 ms',
    maximum: 25,
    value: (result) => result.commandLatency?.p99Ms,
    describe: (value, result) =>
      `${fixed(value, 1)} ms (${result.commandLatency?.unmatched ?? 0} unmatched)`,
  },
];

/** Checks each target against the step with 200 printers, `not measured` where there is none. */
export function checkTargets(results: readonly StepResult[]): TargetCheck[] {
  const step = results.find((result) => result.printers === TARGET_PRINTERS);
  return TARGETS.map((target) => {
    const value = step ? target.value(step) : undefined;
    const base = { name: target.name, limit: target.limit };
    if (!step || value === undefined || !Number.isFinite(value)) {
      return { ...base, measured: 'n/a', status: 'not measured' };
    }
    const status: TargetStatus = value <= target.maximum ? 'met' : 'not met';
    return { ...base, measured: target.describe(value, step), status };
  });
}

export function targetsTable(results: readonly StepResult[]): Table {
  return {
    title: `Targets at ${TARGET_PRINTERS} printers`,
    header: ['Target', 'Limit', 'Measured', 'Result'],
    rows: checkTargets(results).map((check) => [
      check.name,
      check.limit,
      check.measured,
      check.status,
    ]),
  };
}
