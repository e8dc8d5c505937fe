import { z } from 'zod';

import { statusUpdateObjects } from '../moonraker/status-update.js';

/**
 * Classifies a Moonraker websocket notification into what it does to the printer state store.
 * Notifications without a state meaning (gcode responses, process statistics, timelapse, file
 * and update-manager notices) are ignored, so they never end up in the store.
 */

export type KlippyShutdownMethod =
  'notify_klippy_shutdown' | 'notify_klippy_disconnected' | 'notify_mcu_shutdown';

export type StoreAction =
  /** Deep-merge printer objects into the store. */
  | { kind: 'merge'; objects: Record<string, Record<string, unknown>> }
  | { kind: 'klippy-shutdown'; detail: string | undefined; fallbackDetail: string }
  | { kind: 'klippy-ready'; detail: string | undefined }
  /** A Klippy state without shutdown semantics (`error`, `startup`), written to `webhooks`. */
  | { kind: 'klippy-state'; state: string; detail: string | undefined }
  /** One `notify_history_changed` entry: `{ action, job }`. */
  | { kind: 'history'; entry: Record<string, unknown> & { action: string } }
  | { kind: 'ignore' }
  | { kind: 'invalid'; reason: string };

const DEFAULT_SHUTDOWN_DETAIL: Record<KlippyShutdownMethod, string> = {
  notify_klippy_shutdown: 'Klippy reported shutdown',
  notify_klippy_disconnected: 'Klippy disconnected from Moonraker',
  notify_mcu_shutdown: 'MCU shutdown',
};

const objectStatusSchema = z.record(z.string(), z.record(z.string(), z.unknown()));

/** `notify_status_update` params: `[objects, eventtime]`. */
const statusUpdateSchema = z.tuple([objectStatusSchema]).rest(z.unknown());

const historyEntrySchema = z.looseObject({
  action: z.string(),
  job: z.record(z.string(), z.unknown()).nullable().optional(),
});

const historyChangedSchema = z.tuple([historyEntrySchema]).rest(z.unknown());

const fieldsSchema = z.record(z.string(), z.unknown());

/** Keys that carry a human-readable message in notification params. */
const MESSAGE_KEYS = ['message', 'state_message', 'msg', 'reason', 'detail'];

export function classifyNotification(method: string, params: unknown): StoreAction {
  switch (method) {
    case 'notify_status_update':
      return classifyStatusUpdate(params);
    case 'notify_klippy_shutdown':
    case 'notify_klippy_disconnected':
    case 'notify_mcu_shutdown':
      return {
        kind: 'klippy-shutdown',
        detail: findMessage(params),
        fallbackDetail: DEFAULT_SHUTDOWN_DETAIL[method],
      };
    case 'notify_klippy_ready':
      return { kind: 'klippy-ready', detail: findMessage(params) };
    case 'notify_klippy_state':
      return classifyKlippyState(params);
    case 'notify_history_changed':
      return classifyHistoryChange(params);
    case 'notify_print_stats_update':
      return classifyPrintStatsUpdate(params);
    default:
      return { kind: 'ignore' };
  }
}

/** Returns the first non-empty message-like string in notification params, trimmed. */
export function findMessage(params: unknown): string | undefined {
  if (typeof params === 'string') return params.trim() || undefined;
  if (Array.isArray(params)) {
    for (const item of params) {
      const message = findMessage(item);
      if (message) return message;
    }
    return undefined;
  }
  if (typeof params !== 'object' || params === null) return undefined;

  const record = params as Record<string, unknown>;
  for (const key of MESSAGE_KEYS) {
    const value = record[key];
    if (typeof value === 'string' && value.trim()) return value.trim();
  }
  return undefined;
}

function classifyStatusUpdate(params: unknown): StoreAction {
  const objects = statusUpdateObjects(params);
  if (objects) return { kind: 'merge', objects };

  const parsed = statusUpdateSchema.safeParse(params);
  if (!parsed.success) {
    return { kind: 'invalid', reason: 'notify_status_update params are not [objects, eventtime]' };
  }
  return { kind: 'merge', objects: parsed.data[0] };
}

/** Reads the non-standard `notify_klippy_state`, whose first parameter is the state. */
function classifyKlippyState(params: unknown): StoreAction {
  const values = Array.isArray(params) ? params : [params];
  const [state, ...rest] = values;
  if (typeof state !== 'string' || !state.trim()) {
    return { kind: 'invalid', reason: 'notify_klippy_state has no state parameter' };
  }

  const normalized = state.trim().toLowerCase();
  const detail = findMessage(rest);
  switch (normalized) {
    case 'ready':
      return { kind: 'klippy-ready', detail };
    case 'shutdown':
    case 'disconnected':
      return { kind: 'klippy-shutdown', detail, fallbackDetail: 'Klippy reported shutdown' };
    case 'error':
    case 'startup':
      return { kind: 'klippy-state', state: normalized, detail };
    default:
      return { kind: 'ignore' };
  }
}

function classifyHistoryChange(params: unknown): StoreAction {
  const parsed = historyChangedSchema.safeParse(params);
  if (!parsed.success) {
    return { kind: 'invalid', reason: 'notify_history_changed params are not [{ action, job }]' };
  }
  return { kind: 'history', entry: parsed.data[0] };
}

/** Reads the non-standard `notify_print_stats_update`: print_stats fields, bare or in a list. */
function classifyPrintStatsUpdate(params: unknown): StoreAction {
  const candidate = Array.isArray(params) ? params[0] : params;
  const parsed = fieldsSchema.safeParse(candidate);
  if (!parsed.success) {
    return { kind: 'invalid', reason: 'notify_print_stats_update params are not an object' };
  }
  return { kind: 'merge', objects: { print_stats: parsed.data } };
}
