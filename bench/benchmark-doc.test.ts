import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { stepResult } from './__testing__/step-results.js';
import {
  NOTES_MARKER,
  notesOf,
  renderBenchmarkDoc,
  writeBenchmarkDoc,
  type BenchmarkReport,
} from './benchmark-doc.js';

function report(printers: number[]): BenchmarkReport {
  return {
    command: 'npm run bench -- --write-doc',
    machine: { cores: 2, cpuModel: 'Test CPU', memoryGiB: 4, node: 'v20.0.0', os: 'Linux 6' },
    settings: {
      broker: 'embedded',
      warmupSeconds: 5,
      windows: { idle: 60, printing: 30, commands: 30 },
      probeIntervalSeconds: 3,
      updateIntervalMs: 250,
    },
    results: printers.map((count) => stepResult(count)),
    date: new Date('2025-01-02T00:00:00Z'),
    runSeconds: 540,
  };
}

describe('renderBenchmarkDoc', () => {
  it('names the machine, the command and the run time', () => {
    const text = renderBenchmarkDoc(report([1]), '');

    expect(text).toContain('Measured 2025-01-02 on 2 cores (Test CPU), 4.0 GiB memory');
    expect(text).toContain('`npm run bench -- --write-doc`');
    expect(text).toContain('The run took 9.0 min.');
  });

  it('shows the summary row of each printer count', () => {
    const text = renderBenchmarkDoc(report([1, 200]), '');

    expect(text).toContain(
      '| 200 | 1.3 / 4.5 / 8.0 | 150 | 6.0 / 15.3 | 3.5 / 9.0 | 173 / 0.24 | 580 / 1.68 |',
    );
    expect(text).toContain('| Bridge CPU while printing | ≤ 10 % of one core | 4.5 % | met |');
  });

  it('states the window lengths and the probe interval in the method', () => {
    const text = renderBenchmarkDoc(report([1]), '');

    expect(text).toContain('1. **idle** (60 s)');
    expect(text).toContain('2. **printing** (30 s)');
    expect(text).toContain('3. **commands** (30 s)');
    expect(text).toContain('every 3 s the\n   command sender sends each printer one command');
    expect(text).toContain('if that request arrived within 1.5 s');
  });

  it('says which direction the MQTT bytes count', () => {
    const text = renderBenchmarkDoc(report([1]), '');

    expect(text).toContain('_Sent_ is device → broker and _received_ is broker → device');
  });

  it('ends with the marker and the notes', () => {
    const text = renderBenchmarkDoc(report([1]), '\nHand-written.\n');

    expect(text.endsWith(`${NOTES_MARKER}\nHand-written.\n`)).toBe(true);
  });
});

describe('notesOf', () => {
  it('returns the text after the marker', () => {
    expect(notesOf(`# Old\n${NOTES_MARKER}\n## Notes\n\nKept.\n`)).toBe('\n## Notes\n\nKept.\n');
  });

  it('starts a notes section for a file without the marker', () => {
    expect(notesOf('# Benchmarks\n\nOld prose.\n')).toContain('## Notes');
  });
});

describe('writeBenchmarkDoc', () => {
  let folder: string;
  let file: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'owl-bench-doc-'));
    file = join(folder, 'benchmarks.md');
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('replaces the generated part and keeps the notes', async () => {
    await writeFile(file, `# Old results\n\n${NOTES_MARKER}\n\n## Notes\n\nKeep me.\n`);

    await writeBenchmarkDoc(file, report([10]));

    const text = await readFile(file, 'utf8');
    expect(text).not.toContain('# Old results');
    expect(text.startsWith('# Benchmarks\n')).toBe(true);
    expect(text.endsWith(`${NOTES_MARKER}\n\n## Notes\n\nKeep me.\n`)).toBe(true);
  });

  it('creates the file when there is none', async () => {
    await writeBenchmarkDoc(file, report([10]));

    const text = await readFile(file, 'utf8');
    expect(text).toContain(NOTES_MARKER);
    expect(text).toMatch(/\| 10 +\| 1\.3 \/ 4\.5 \/ 8\.0 +\|/);
  });
});
