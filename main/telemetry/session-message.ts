import { historyRecord, printState, textField } from './state-fields.js';
import type { StateReader } from './state-store.js';

/**
 * The job's human-readable message (`print_stats.message`, else `display_status.message`). A
 * message that only repeats a state word ("Printing", "Ready"…) is dropped when the state around
 * it shows the word is stale: no job is active, the print or its history record has ended, or
 * `idle_timeout` reports the printer idle.
 */

const STATE_WORDS: ReadonlySet<string> = new Set([
  'printing',
  'resuming',
  'pausing',
  'paused',
  'idle',
  'ready',
  'busy',
]);

const TERMINAL_PRINT_STATES: ReadonlySet<string> = new Set([
  'cancelled',
  'canceled',
  'complete',
  'completed',
  'error',
  'failed',
  'aborted',
]);

const IDLE_TIMEOUT_RESTING: ReadonlySet<string> = new Set(['idle', 'ready']);

const KLIPPY_READY_PREFIX = 'klippy ready';

export function sessionMessage(state: StateReader, activeJob: boolean): string | undefined {
  const message =
    textField(state.get('print_stats'), 'message') ??
    textField(state.get('display_status'), 'message');
  if (message === undefined || isStaleStateWord(message, state, activeJob)) return undefined;
  return message;
}

/**
 * `display_status.message` as the last status reason, under the same filter; the "Klippy ready"
 * notice is not a reason either.
 */
export function displayMessage(state: StateReader, activeJob: boolean): string | undefined {
  const message = textField(state.get('display_status'), 'message');
  if (message === undefined || isStaleStateWord(message, state, activeJob)) return undefined;
  if (message.toLowerCase().startsWith(KLIPPY_READY_PREFIX)) return undefined;
  return message;
}

export function isStaleStateWord(message: string, state: StateReader, activeJob: boolean) {
  if (!STATE_WORDS.has(message.trim().toLowerCase())) return false;
  if (!activeJob) return true;

  const raw = printState(state);
  if (raw !== undefined && TERMINAL_PRINT_STATES.has(raw)) return true;

  const history = historyRecord(state).status;
  if (history !== undefined && history !== 'in_progress') return true;

  const idle = textField(state.get('idle_timeout'), 'state')?.toLowerCase();
  return idle !== undefined && IDLE_TIMEOUT_RESTING.has(idle);
}
