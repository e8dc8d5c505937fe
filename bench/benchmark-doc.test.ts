import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { updateResultsSection, type ResultsSection } from './benchmark-doc.js';
import type { StepResult } from './step-result.js';

const result: StepResult = {
  printers: 10,
  scenario: 'printing',
  broker: 'embedded',
  windowSeconds: 60,
  connectSeconds: 0.5,
  bridge: {
    cpuPercent: 3.25,
    rssBaseMiB: 100,
    rssMaxMiB: 120,
    rssEndMiB: 118,
    eventLoopP99Ms: 1,
    eventLoopMaxMs: 4,
  },
  latency: {
    samples: 200,
    missing: 0,
    missingExamples: [],
    p50Ms: 4.5,
    p99Ms: 9.25,
    maxMs: 12,
    clockUncertaintyMs: 0.1,
    probes: { sent: 220, failed: 0 },
  },
  mqtt: { sentPerPrinterHour: 2_500_000, receivedPerPrinterHour: 14_000 },
  channels: { status: { perPrinterPerMinute: 20, bytesPerPrinterHour: 1_500_000 } },
  moonraker: { framesPerPrinterSecond: 4, bytesPerPrinterHour: 3_900_000 },
  otherCpuPercent: { simulators: 2, cloud: 1 },
  machine: { busyCores: 0.2, unrelatedCores: 0.05 },
  cloudEventLoopP99Ms: 1,
  health: { warnLines: 0, errorLines: 0, topMessages: [], outboxPending: 0, notRunning: 0 },
  attempts: 1,
};

function section(label: string, date: string): ResultsSection {
  return {
    label,
    command: 'npm run bench',
    machine: { cores: 2, cpuModel: 'Test CPU', memoryGiB: 4, node: 'v20.0.0', os: 'Linux 6' },
    settings: 'Each step: fresh processes.',
    results: [result],
    date: new Date(date),
  };
}

describe('updateResultsSection', () => {
  let folder: string;
  let file: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'owl-bench-doc-'));
    file = join(folder, 'benchmarks.md');
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('appends a section with markers to a file without one', async () => {
    await writeFile(file, '# Benchmarks\n\nProse.\n');

    await updateResultsSection(file, section('printing-embedded', '2025-01-02T00:00:00Z'));

    const text = await readFile(file, 'utf8');
    expect(text.startsWith('# Benchmarks\n\nProse.\n')).toBe(true);
    expect(text).toContain('<!-- bench-results:printing-embedded:start -->');
    expect(text).toContain('Measured 2025-01-02 on 2 cores (Test CPU)');
    expect(text).toContain('| 10 | printing | 3.3 |');
  });

  it('replaces only its own section', async () => {
    await writeFile(file, '# Benchmarks\n');
    await updateResultsSection(file, section('printing-embedded', '2025-01-02T00:00:00Z'));
    await updateResultsSection(file, section('idle-embedded', '2025-01-02T00:00:00Z'));

    await updateResultsSection(file, section('printing-embedded', '2025-03-04T00:00:00Z'));

    const text = await readFile(file, 'utf8');
    expect(text.match(/bench-results:printing-embedded:start/g)).toHaveLength(1);
    expect(text).toContain('Measured 2025-03-04');
    expect(text).toContain('<!-- bench-results:idle-embedded:end -->');
    expect(text.indexOf('printing-embedded:start')).toBeLessThan(text.indexOf('idle-embedded'));
  });
});
