import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  hasRecordings,
  recordingPath,
  recordingsMissingReason,
} from '../../test/support/fixtures.js';
import { CodedError } from '../support/coded-error.js';
import { loadRecording, parseRecording } from './recording.js';

const statusLine = JSON.stringify({
  captured_at: '2025-11-02T15:19:54.905+00:00',
  raw: JSON.stringify({
    jsonrpc: '2.0',
    method: 'notify_status_update',
    params: [{ webhooks: { state: 'ready' } }, 1.5],
  }),
});
const responseLine = JSON.stringify({
  captured_at: '2025-11-02T15:19:54.214123+00:00',
  raw: JSON.stringify({ jsonrpc: '2.0', result: { klippy_state: 'ready' }, id: 2 }),
});

describe('parseRecording', () => {
  it('parses frames with line numbers', () => {
    const { recording, issues } = parseRecording(`${responseLine}\n\n${statusLine}\n`, 'memory');

    expect(issues).toEqual([]);
    expect(recording.frames.map((frame) => [frame.kind, frame.line])).toEqual([
      ['response', 1],
      ['notification', 3],
    ]);
    expect(recording.frames[1]).toMatchObject({
      method: 'notify_status_update',
      capturedAt: Date.parse('2025-11-02T15:19:54.905Z'),
    });
  });

  it('reports each invalid line with its number', () => {
    const lines = [
      statusLine,
      'not json',
      JSON.stringify({ captured_at: 'yesterday', raw: '{}' }),
      JSON.stringify({ captured_at: '2025-11-02T15:19:54.905+00:00', raw: '{"jsonrpc":"1.0"}' }),
      JSON.stringify({ captured_at: '2025-11-02T15:19:54.905+00:00', raw: '{oops' }),
    ];

    const { recording, issues } = parseRecording(lines.join('\n'), 'memory');

    expect(recording.frames).toHaveLength(1);
    expect(issues.map((issue) => issue.line)).toEqual([2, 3, 4, 5]);
    expect(issues[0]?.message).toBe('not valid JSON');
    expect(issues[1]?.message).toContain('`captured_at`');
    expect(issues[2]?.message).toBe('`raw` is not a JSON-RPC 2.0 message');
    expect(issues[3]?.message).toBe('`raw` is not valid JSON');
  });
});

describe('loadRecording', () => {
  let folder: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'owl-recording-'));
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('rejects a file with invalid lines, naming them', async () => {
    const file = join(folder, 'bad.jsonl');
    await writeFile(file, `${statusLine}\nnot json\n`);

    const error = await loadRecording(file).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(CodedError);
    expect((error as CodedError).code).toBe('recording_invalid');
    expect((error as CodedError).message).toBe(
      `Recording ${file} has 1 invalid line(s): line 2: not valid JSON`,
    );
  });

  it('keeps valid frames when allowed', async () => {
    const file = join(folder, 'mixed.jsonl');
    await writeFile(file, `${statusLine}\nnot json\n`);

    const recording = await loadRecording(file, { allowInvalidLines: true });

    expect(recording.frames).toHaveLength(1);
  });

  it('rejects an empty file', async () => {
    const file = join(folder, 'empty.jsonl');
    await writeFile(file, '\n');

    await expect(loadRecording(file)).rejects.toMatchObject({
      code: 'recording_empty',
      message: `Recording ${file} has no frames`,
    });
  });

  it('rejects a missing file as unreadable', async () => {
    const file = join(folder, 'missing.jsonl');

    await expect(loadRecording(file)).rejects.toMatchObject({ code: 'recording_unreadable' });
    await expect(loadRecording(file)).rejects.toThrow(`Failed to read recording ${file}: ENOENT`);
  });
});

describe.skipIf(!hasRecordings())(
  `loadRecording with real sessions (${recordingsMissingReason})`,
  () => {
    it('loads the print-pause-cancel session', async () => {
      const recording = await loadRecording(recordingPath('print-pause-cancel'));

      expect(recording.frames).toHaveLength(1158);
      expect(recording.frames.filter((frame) => frame.kind === 'response')).toHaveLength(3);
    });

    it('loads the emergency-stop session', async () => {
      const recording = await loadRecording(recordingPath('emergency-stop'));

      expect(recording.frames).toHaveLength(223);
    });
  },
);
