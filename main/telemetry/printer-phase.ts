import type { PrinterPhase } from '../../shared/contract/status.js';
import { printState, shutdownMessage, textField } from './state-fields.js';
import type { StateReader } from './state-store.js';

/**
 * Resolves the cloud-visible printer phase the way Mainsail does: from `print_stats.state`, else
 * `idle_timeout.state`, else Idle. A Klippy shutdown turns it into Error, and an unreachable
 * Moonraker into Offline, each with the cause as the reason.
 */

export interface PhaseResolution {
  phase: PrinterPhase;
  /** Text that outranks every other status reason (the shutdown or unreachability cause). */
  reason?: string;
}

const RAW_STATE_PHASES: Readonly<Record<string, PrinterPhase>> = {
  printing: 'Printing',
  resuming: 'Printing',
  paused: 'Paused',
  pausing: 'Paused',
  cancelling: 'Cancelling',
  canceling: 'Cancelling',
  cancelled: 'Cancelled',
  canceled: 'Cancelled',
  complete: 'Completed',
  completed: 'Completed',
  error: 'Error',
  standby: 'Idle',
  ready: 'Idle',
  idle: 'Idle',
  shutdown: 'Offline',
  offline: 'Offline',
};

/** Timelapse macro whose `is_paused` flag marks a pause it caused itself. */
export const TIMELAPSE_MACRO = 'gcode_macro TIMELAPSE_TAKE_FRAME';

export const UNREACHABLE_REASON = 'Moonraker unreachable';

/** Maps a raw Klipper state (any case, surrounding blanks ignored) to a phase. */
export function phaseOfRawState(raw: string | undefined): PrinterPhase | undefined {
  if (raw === undefined) return undefined;
  return RAW_STATE_PHASES[raw.trim().toLowerCase()];
}

export function resolvePhase(state: StateReader): PhaseResolution {
  const unavailable = state.moonrakerUnavailable;
  if (unavailable !== null) return { phase: 'Offline', reason: unreachableReason(unavailable) };

  const shutdown = shutdownMessage(state);
  if (shutdown !== undefined) return { phase: 'Error', reason: shutdown };

  return { phase: reportedPhase(state) };
}

export function unreachableReason(detail: string): string {
  return detail ? `${UNREACHABLE_REASON}: ${detail}` : UNREACHABLE_REASON;
}

function reportedPhase(state: StateReader): PrinterPhase {
  const fromPrintStats = phaseOfRawState(printState(state));
  if (fromPrintStats === 'Paused' && state.get(TIMELAPSE_MACRO)?.is_paused === true) {
    return 'Printing';
  }
  if (fromPrintStats) return fromPrintStats;

  return phaseOfRawState(textField(state.get('idle_timeout'), 'state')) ?? 'Idle';
}
