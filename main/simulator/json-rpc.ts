import { z } from 'zod';
import { ApiError } from './api-error.js';

export type RpcId = string | number | null;

/** A parsed request; `id` is absent for a notification, which gets no response. */
export interface RpcRequest {
  readonly method: string;
  readonly params: Record<string, unknown>;
  readonly id?: RpcId;
}

/** One element of an incoming message: a request, or the error to send in its place. */
export type RpcEntry =
  { kind: 'request'; request: RpcRequest } | { kind: 'invalid'; error: ApiError; id: RpcId };

const idSchema = z.union([z.string(), z.number(), z.null()]);

const requestSchema = z.object({
  jsonrpc: z.literal('2.0'),
  method: z.string().min(1),
  params: z.unknown().optional(),
  id: idSchema.optional(),
});

/**
 * Parses a websocket text frame as JSON-RPC 2.0: a single request or a batch. Text that is not
 * JSON, and an empty batch, become one error entry with a null id.
 */
export function parseRpcMessage(text: string): { batch: boolean; entries: RpcEntry[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch {
    return { batch: false, entries: [invalid('parse_error', 'Parse error', null)] };
  }
  if (!Array.isArray(parsed)) return { batch: false, entries: [parseEntry(parsed)] };
  if (parsed.length === 0) {
    return { batch: false, entries: [invalid('invalid_request', 'Invalid Request', null)] };
  }
  return { batch: true, entries: parsed.map(parseEntry) };
}

function parseEntry(value: unknown): RpcEntry {
  const checked = requestSchema.safeParse(value);
  if (!checked.success) return invalid('invalid_request', 'Invalid Request', idOf(value));
  const { method, params, id } = checked.data;
  if (params !== undefined && !isRecord(params)) {
    return invalid('invalid_params', 'Invalid params', id ?? null);
  }
  const request: RpcRequest = { method, params: params ?? {}, ...(id === undefined ? {} : { id }) };
  return { kind: 'request', request };
}

function invalid(
  code: 'parse_error' | 'invalid_request' | 'invalid_params',
  message: string,
  id: RpcId,
): RpcEntry {
  return { kind: 'invalid', error: new ApiError(code, message), id };
}

function idOf(value: unknown): RpcId {
  if (!isRecord(value)) return null;
  const id = idSchema.safeParse(value['id']);
  return id.success ? id.data : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function resultMessage(id: RpcId, result: unknown): Record<string, unknown> {
  return { jsonrpc: '2.0', result, id };
}

export function errorMessageFor(id: RpcId, error: ApiError): Record<string, unknown> {
  return { jsonrpc: '2.0', error: { code: error.number, message: error.message }, id };
}

/** Serializes a notification; Moonraker always sends `params` as an array, or leaves it out. */
export function notificationText(method: string, params?: readonly unknown[]): string {
  const message =
    params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params };
  return JSON.stringify(message);
}
