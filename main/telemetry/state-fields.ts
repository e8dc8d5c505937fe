import type { FrozenRecord } from './frozen-merge.js';
import { isPlainObject } from './frozen-merge.js';
import { finiteNumber } from './sensor-values.js';
import { HISTORY_SECTION, PRINTER_SECTION } from './state-store.js';
import type { StateReader } from './state-store.js';

/** Typed reads of the printer state fields that status, sessions and events depend on. */

/** `print_stats.state` values during which a job is running. */
export const ACTIVE_PRINT_STATES: ReadonlySet<string> = new Set(['printing', 'paused']);

/** Keys that name the job's file, in order of preference. */
const FILENAME_KEYS = ['filename', 'file_path', 'filePath', 'job_path'];

export function stringField(section: FrozenRecord | undefined, key: string): string | undefined {
  const value = section?.[key];
  return typeof value === 'string' ? value : undefined;
}

/** Returns the field trimmed, or undefined when it is missing, not a string or blank. */
export function textField(section: FrozenRecord | undefined, key: string): string | undefined {
  return stringField(section, key)?.trim() || undefined;
}

export function numberField(section: FrozenRecord | undefined, key: string): number | undefined {
  return finiteNumber(section?.[key]);
}

export function recordField(section: FrozenRecord | undefined, key: string) {
  const value = section?.[key];
  return isPlainObject(value) ? (value as FrozenRecord) : undefined;
}

/** `print_stats.state` lower-cased and trimmed; undefined when unknown. */
export function printState(state: StateReader): string | undefined {
  return textField(state.get('print_stats'), 'state')?.toLowerCase();
}

export function hasActiveJob(state: StateReader): boolean {
  const current = printState(state);
  return current !== undefined && ACTIVE_PRINT_STATES.has(current);
}

/** `webhooks.state` lower-cased and trimmed; undefined when unknown. */
export function webhooksState(state: StateReader): string | undefined {
  return textField(state.get('webhooks'), 'state')?.toLowerCase();
}

export function isKlippyShutdown(state: StateReader): boolean {
  return state.get(PRINTER_SECTION)?.is_shutdown === true;
}

/** Klippy is shut down or in an error state, so printer data may be stale. */
export function isKlippyFaulted(state: StateReader): boolean {
  const webhooks = webhooksState(state);
  return isKlippyShutdown(state) || webhooks === 'shutdown' || webhooks === 'error';
}

/** Returns the shutdown message while Klippy is shut down, else undefined. */
export function shutdownMessage(state: StateReader): string | undefined {
  if (!isKlippyShutdown(state)) return undefined;
  return textField(state.get(PRINTER_SECTION), 'state_message') ?? 'Klippy reported shutdown';
}

export interface HistoryRecord {
  action: string | undefined;
  job: FrozenRecord | undefined;
  /** Moonraker job status: `in_progress`, `completed`, `cancelled`, `error`, `klippy_shutdown`… */
  status: string | undefined;
  jobId: string | undefined;
  filename: string | undefined;
}

export function historyRecord(state: StateReader): HistoryRecord {
  const section = state.get(HISTORY_SECTION);
  const job = recordField(section, 'job');
  return {
    action: textField(section, 'action')?.toLowerCase(),
    job,
    status: findStatus(section)?.toLowerCase(),
    jobId: textField(job, 'job_id') ?? textField(job, 'jobId'),
    filename: textField(job, 'filename'),
  };
}

/** Returns the job's file from print_stats, else virtual_sdcard, else the history record. */
export function jobFilename(state: StateReader): string | undefined {
  const sources = [state.get('print_stats'), state.get('virtual_sdcard')];
  for (const section of sources) {
    for (const key of FILENAME_KEYS) {
      const name = textField(section, key);
      if (name) return name;
    }
  }
  return historyRecord(state).filename;
}

/** Two file names match when either is unknown or one is the other's path suffix. */
export function sameFile(left: string | undefined, right: string | undefined): boolean {
  if (!left || !right || left === right) return true;
  return left.endsWith(`/${right}`) || right.endsWith(`/${left}`);
}

/** Finds the first `status` string in the record, searching depth-first. */
function findStatus(value: unknown): string | undefined {
  if (!isPlainObject(value)) return undefined;
  const status = value.status;
  if (typeof status === 'string' && status.trim()) return status.trim();
  for (const nested of Object.values(value)) {
    const found = findStatus(nested);
    if (found) return found;
  }
  return undefined;
}
