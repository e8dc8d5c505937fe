import type { RawData } from 'ws';

import type { ControlErrorData } from '../../../shared/control-api/errors.js';
import { describeIssues } from '../../../shared/control-api/issue-message.js';
import {
  MAX_CONTROL_FRAME_BYTES,
  requestFrameSchema,
  type RequestFrame,
} from '../../../shared/control-api/protocol.js';

/** A frame from a client: a request, or the error response to send with the id it belongs to. */
export type ParsedFrame =
  { ok: true; request: RequestFrame } | { ok: false; id: number | null; error: ControlErrorData };

/**
 * Reads one WebSocket message as a request frame. The error keeps the frame's id when the
 * frame is JSON with a usable id, so the client can fail the right call.
 */
export function parseRequestFrame(data: RawData, isBinary: boolean): ParsedFrame {
  if (isBinary) return invalid(null, 'Binary frames are not supported; send JSON text frames');
  const size = byteLength(data);
  if (size > MAX_CONTROL_FRAME_BYTES) {
    const limit = `${MAX_CONTROL_FRAME_BYTES} bytes`;
    return invalid(null, `Frame of ${size} bytes exceeds the limit of ${limit}`);
  }

  let value: unknown;
  try {
    value = JSON.parse(textOf(data));
  } catch {
    return invalid(null, 'Frame is not valid JSON');
  }
  const checked = requestFrameSchema.safeParse(value);
  if (checked.success) return { ok: true, request: checked.data };
  const message = `Frame is not a request: ${describeIssues(checked.error.issues, 'frame')}`;
  return invalid(recoverId(value), message);
}

function invalid(id: number | null, message: string): ParsedFrame {
  return { ok: false, id, error: { code: 'invalid_frame', message } };
}

function recoverId(value: unknown): number | null {
  if (typeof value !== 'object' || value === null || !('id' in value)) return null;
  const id = value.id;
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : null;
}

function byteLength(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((total, chunk) => total + chunk.length, 0);
  return data.byteLength;
}

function textOf(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
