import { z } from 'zod';

import { statusUpdateObjects } from './status-update.js';

/** One websocket text frame from Moonraker, classified after JSON-RPC 2.0 validation. */
export type InboundFrame =
  | { kind: 'result'; id: number | string; result: unknown }
  | { kind: 'error'; id: number | string | null; code: number; message: string }
  | { kind: 'notification'; method: string; params: unknown }
  | { kind: 'invalid'; reason: string };

const idSchema = z.union([z.number(), z.string()]);

const resultSchema = z.object({ jsonrpc: z.literal('2.0'), id: idSchema, result: z.unknown() });

const errorSchema = z.object({
  jsonrpc: z.literal('2.0'),
  id: idSchema.nullable(),
  error: z.object({ code: z.number(), message: z.string() }),
});

/** Moonraker sends params as an array, and some notifications have none or `null`. */
const noParamsSchema = z.union([z.null(), z.array(z.unknown())]).optional();

const notificationSchema = z.object({
  jsonrpc: z.literal('2.0'),
  method: z.string().min(1),
  params: z.union([z.null(), z.array(z.unknown()), z.record(z.string(), z.unknown())]).optional(),
});

/** The notification Moonraker sends with every object change, checked without zod when valid. */
const STATUS_UPDATE = 'notify_status_update';

/** Shapes of the notifications this client or the state store reads fields from. */
const PARAMS_BY_METHOD: Readonly<Record<string, z.ZodType>> = {
  [STATUS_UPDATE]: z
    .tuple([z.record(z.string(), z.record(z.string(), z.unknown()))])
    .rest(z.unknown()),
  notify_history_changed: z
    .tuple([z.looseObject({ action: z.string(), job: z.unknown().optional() })])
    .rest(z.unknown()),
  notify_klippy_ready: noParamsSchema,
  notify_klippy_shutdown: noParamsSchema,
  notify_klippy_disconnected: noParamsSchema,
  notify_klippy_state: z.tuple([z.string()]).rest(z.unknown()),
};

/** Parses and validates one text frame. Bad frames come back as `invalid` instead of throwing. */
export function parseFrame(text: string): InboundFrame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'invalid', reason: 'not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { kind: 'invalid', reason: 'not a JSON object' };
  }
  const message = value as Record<string, unknown>;
  if (message['jsonrpc'] !== '2.0') return { kind: 'invalid', reason: 'not JSON-RPC 2.0' };
  if ('method' in message) return parseNotification(message);
  if ('result' in message) return parseResult(message);
  if ('error' in message) return parseError(message);
  return { kind: 'invalid', reason: 'neither a response nor a notification' };
}

function parseNotification(message: Record<string, unknown>): InboundFrame {
  if (message['id'] !== undefined && message['id'] !== null) {
    return { kind: 'invalid', reason: 'request from the server (only notifications expected)' };
  }
  const params = message['params'];
  if (message['method'] === STATUS_UPDATE && statusUpdateObjects(params)) {
    return { kind: 'notification', method: STATUS_UPDATE, params };
  }
  return validateNotification(message);
}

/** Checks a notification with zod, which names what is wrong with a malformed one. */
function validateNotification(message: Record<string, unknown>): InboundFrame {
  const parsed = notificationSchema.safeParse(message);
  if (!parsed.success)
    return { kind: 'invalid', reason: 'notification with invalid method or params' };
  const { method, params } = parsed.data;
  const shape = PARAMS_BY_METHOD[method];
  if (shape && !shape.safeParse(params).success) {
    return { kind: 'invalid', reason: `${method} with unexpected params` };
  }
  return { kind: 'notification', method, params };
}

function parseResult(message: Record<string, unknown>): InboundFrame {
  const parsed = resultSchema.safeParse(message);
  if (!parsed.success) return { kind: 'invalid', reason: 'response without a valid id' };
  return { kind: 'result', id: parsed.data.id, result: parsed.data.result };
}

function parseError(message: Record<string, unknown>): InboundFrame {
  const parsed = errorSchema.safeParse(message);
  if (!parsed.success) return { kind: 'invalid', reason: 'error response with invalid fields' };
  const { id, error } = parsed.data;
  return { kind: 'error', id, code: error.code, message: error.message };
}
