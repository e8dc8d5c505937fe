import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { CodedError, errorMessage } from '../support/coded-error.js';

/**
 * A recorded Moonraker websocket session: one JSON object a line, `captured_at` (ISO-8601 with an
 * offset) and `raw` (the exact text frame the recording client received).
 */
export interface Recording {
  readonly source: string;
  readonly frames: readonly RecordedFrame[];
}

export type RecordedFrame = RecordedResponse | RecordedNotification;

interface FrameBase {
  /** Line number in the file, counting from 1. */
  readonly line: number;
  /** Epoch milliseconds of `captured_at`. */
  readonly capturedAt: number;
  readonly raw: string;
}

/** The response to one of the recording client's own requests. */
export interface RecordedResponse extends FrameBase {
  readonly kind: 'response';
  readonly id: string | number | null;
  readonly result: unknown;
}

/** A notification Moonraker pushed, such as `notify_status_update`. */
export interface RecordedNotification extends FrameBase {
  readonly kind: 'notification';
  readonly method: string;
  readonly params: unknown;
}

export interface RecordingIssue {
  readonly line: number;
  readonly message: string;
}

export type RecordingErrorCode = 'recording_unreadable' | 'recording_invalid' | 'recording_empty';

const lineSchema = z.object({
  captured_at: z.iso.datetime({ offset: true }),
  raw: z.string(),
});

const frameSchema = z.union([
  z.object({
    jsonrpc: z.literal('2.0'),
    method: z.string().min(1),
    params: z.unknown().optional(),
  }),
  z.object({
    jsonrpc: z.literal('2.0'),
    id: z.union([z.string(), z.number(), z.null()]),
    result: z.unknown().optional(),
    error: z.unknown().optional(),
  }),
]);

/** Parses recording text, returning every valid frame and one issue per invalid line. */
export function parseRecording(
  text: string,
  source: string,
): { recording: Recording; issues: RecordingIssue[] } {
  const frames: RecordedFrame[] = [];
  const issues: RecordingIssue[] = [];
  text.split(/\r?\n/).forEach((content, index) => {
    if (content.trim() === '') return;
    const parsed = parseLine(content, index + 1);
    if ('message' in parsed) issues.push(parsed);
    else frames.push(parsed);
  });
  return { recording: { source, frames }, issues };
}

/**
 * Reads and validates a recording file. Rejects with `recording_invalid` (listing each bad line
 * with its number) unless `allowInvalidLines` is set, and with `recording_empty` when no frame is
 * left.
 */
export async function loadRecording(
  file: string,
  options: { allowInvalidLines?: boolean } = {},
): Promise<Recording> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CodedError<RecordingErrorCode>(
      'recording_unreadable',
      `Failed to read recording ${file}: ${errorMessage(error)}`,
      { cause: error },
    );
  }
  const { recording, issues } = parseRecording(text, file);
  if (issues.length > 0 && !options.allowInvalidLines) throw invalidRecording(file, issues);
  if (recording.frames.length === 0) {
    throw new CodedError<RecordingErrorCode>('recording_empty', `Recording ${file} has no frames`);
  }
  return recording;
}

function invalidRecording(file: string, issues: RecordingIssue[]): CodedError<RecordingErrorCode> {
  const listed = issues.slice(0, 5).map((issue) => `line ${issue.line}: ${issue.message}`);
  const more = issues.length > 5 ? `; ${issues.length - 5} more` : '';
  return new CodedError<RecordingErrorCode>(
    'recording_invalid',
    `Recording ${file} has ${issues.length} invalid line(s): ${listed.join('; ')}${more}`,
    { details: { issues } },
  );
}

function parseLine(content: string, line: number): RecordedFrame | RecordingIssue {
  const outer = parseJson(content);
  if (outer === undefined) return { line, message: 'not valid JSON' };
  const checked = lineSchema.safeParse(outer);
  if (!checked.success) return { line, message: describeIssue(checked.error) };
  const inner = parseJson(checked.data.raw);
  if (inner === undefined) return { line, message: '`raw` is not valid JSON' };
  const frame = frameSchema.safeParse(inner);
  if (!frame.success) return { line, message: '`raw` is not a JSON-RPC 2.0 message' };
  const base = { line, capturedAt: Date.parse(checked.data.captured_at), raw: checked.data.raw };
  if ('method' in frame.data) {
    return { ...base, kind: 'notification', method: frame.data.method, params: frame.data.params };
  }
  return { ...base, kind: 'response', id: frame.data.id, result: frame.data.result };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function describeIssue(error: z.ZodError): string {
  const first = error.issues[0];
  if (!first) return 'invalid line';
  const path = first.path.length > 0 ? `\`${first.path.join('.')}\` ` : '';
  return `${path}${first.message}`;
}
