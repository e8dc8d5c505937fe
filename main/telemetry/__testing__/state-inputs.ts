import type { MoonrakerInput, ObjectStatus } from '../../moonraker/input.js';
import { StateStore } from '../state-store.js';

/** Moonraker inputs for state store, session and event tests. */

export function notification(method: string, params: unknown = [], receivedAt = 0): MoonrakerInput {
  return { kind: 'notification', method, params, receivedAt };
}

/** `notify_status_update` with the given objects. */
export function statusUpdate(objects: ObjectStatus, receivedAt = 0): MoonrakerInput {
  return notification('notify_status_update', [objects, 1000.5], receivedAt);
}

export function snapshot(
  status: ObjectStatus,
  source: 'subscribe' | 'query' = 'query',
): MoonrakerInput {
  return { kind: 'snapshot', source, status, receivedAt: 0 };
}

export function historyChanged(action: string, job: Record<string, unknown>): MoonrakerInput {
  return notification('notify_history_changed', [{ action, job }]);
}

export function availability(available: boolean, detail = ''): MoonrakerInput {
  return { kind: 'availability', available, detail, receivedAt: 0 };
}

export function printStats(fields: Record<string, unknown>): MoonrakerInput {
  return statusUpdate({ print_stats: fields });
}

/** Builds a Moonraker history job record, in progress or finished. */
export function historyJob(
  jobId: string,
  filename: string,
  status: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { job_id: jobId, filename, status, filament_used: 0, ...extra };
}

/** Creates a store that contains the given objects, as after a subscribe snapshot. */
export function storeOf(status: ObjectStatus): StateStore {
  const store = new StateStore();
  store.apply(snapshot(status, 'subscribe'));
  return store;
}
