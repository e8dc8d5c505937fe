import { describe, expect, it } from 'vitest';

import {
  commandLatency,
  frameLatency,
  phaseResult,
  stepResult,
} from './__testing__/step-results.js';
import { checkTargets, targetsTable } from './targets.js';

function statuses(checks: ReturnType<typeof checkTargets>): Record<string, string> {
  return Object.fromEntries(checks.map((check) => [check.name, check.status]));
}

describe('checkTargets', () => {
  it('marks every target met by a light 200-printer step', () => {
    const checks = checkTargets([stepResult(10), stepResult(200)]);

    expect(statuses(checks)).toEqual({
      'Bridge CPU while printing': 'met',
      'Bridge RSS, largest of the step': 'met',
      'Moonraker frame → broker, p99': 'met',
      'Cloud command → Moonraker request, p99': 'met',
    });
  });

  it('judges CPU on the printing window only', () => {
    const step = stepResult(200);
    step.phases.commands = phaseResult(40, { sent: 0, received: 0 });

    const [cpu] = checkTargets([step]);

    expect(cpu?.status).toBe('met');
    expect(cpu?.measured).toBe('4.5 %');
  });

  it('fails CPU above 10 % while printing', () => {
    const step = stepResult(200);
    step.phases.printing = phaseResult(10.5, { sent: 0, received: 0 });

    expect(checkTargets([step])[0]?.status).toBe('not met');
  });

  it('compares RSS in megabytes of 10^6 bytes', () => {
    // 240 MiB is 251.7 MB, above the 250 MB limit.
    const checks = checkTargets([stepResult(200, { rssMaxMiB: 240 })]);

    expect(checks[1]?.status).toBe('not met');
    expect(checks[1]?.measured).toBe('251.7 MB (240.0 MiB)');
  });

  it('fails a latency p99 above 25 ms', () => {
    const step = stepResult(200, { commandLatency: commandLatency({ p99Ms: 25.5 }) });

    expect(checkTargets([step])[3]?.status).toBe('not met');
  });

  it('accepts a p99 of exactly 25 ms', () => {
    const step = stepResult(200, { frameLatency: frameLatency({ p99Ms: 25 }) });

    expect(checkTargets([step])[2]?.status).toBe('met');
  });

  it('reports every target as not measured without a 200-printer step', () => {
    const checks = checkTargets([stepResult(1), stepResult(10)]);

    expect(checks.map((check) => check.status)).toEqual([
      'not measured',
      'not measured',
      'not measured',
      'not measured',
    ]);
    expect(checks.map((check) => check.measured)).toEqual(['n/a', 'n/a', 'n/a', 'n/a']);
  });

  it('reports a window that was left out as not measured', () => {
    const step = stepResult(200, { phases: {} });
    delete step.frameLatency;

    const checks = checkTargets([step]);

    expect(checks[0]?.status).toBe('not measured');
    expect(checks[2]?.status).toBe('not measured');
  });
});

describe('targetsTable', () => {
  it('lists limit, measured value and result per target', () => {
    const table = targetsTable([stepResult(200)]);

    expect(table.title).toBe('Targets at 200 printers');
    expect(table.rows[2]).toEqual([
      'Moonraker frame → broker, p99',
      '≤ 25 ms',
      '15.3 ms (1 missing)',
      'met',
    ]);
  });
});
