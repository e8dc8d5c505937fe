import type { PrinterSummary, StandbyState } from '../../../shared/control-api/printer-views.js';
import type { ShellStrings } from './shell-strings.js';

/**
 * How the tray and the notifications see one printer. The order is the severity, so the worst
 * condition of the fleet is the one with the highest rank.
 */
export const FLEET_CONDITIONS = ['idle', 'printing', 'attention', 'offline'] as const;
export type FleetCondition = (typeof FLEET_CONDITIONS)[number];

export function conditionRank(condition: FleetCondition): number {
  return FLEET_CONDITIONS.indexOf(condition);
}

/**
 * Returns whether a bridge runs for the printer, which needs it enabled and linked. The service sets `standby`
 * on every printer without one, and `link` is the fallback for a summary without it.
 */
export function isBridged(printer: PrinterSummary): boolean {
  return printer.enabled && printer.standby === undefined && printer.link === 'linked';
}

/**
 * Classifies a bridged printer. Printers without a bridge (disabled, unlinked or linking) count
 * for nothing and return undefined, because their probe results are not news about the fleet.
 */
export function conditionOf(printer: PrinterSummary): FleetCondition | undefined {
  if (!isBridged(printer)) return undefined;
  if (printer.phase === 'Offline' || printer.overall === 'offline') return 'offline';
  if (printer.phase === 'Error' || printer.phase === 'Paused') return 'attention';
  if (printer.overall === 'error') return 'attention';
  if (printer.phase === 'Printing' || printer.phase === 'Cancelling') return 'printing';
  return 'idle';
}

/** The worst condition of the bridged printers; `idle` for a fleet without any. */
export function worstCondition(printers: readonly PrinterSummary[]): FleetCondition {
  let worst: FleetCondition = 'idle';
  for (const printer of printers) {
    const condition = conditionOf(printer);
    if (condition && conditionRank(condition) > conditionRank(worst)) worst = condition;
  }
  return worst;
}

/** Probe results that explain why a printer without a bridge cannot be linked or bridged now. */
const STANDBY_PROBLEMS: ReadonlySet<StandbyState> = new Set([
  'klippy_not_ready',
  'needs_api_key',
  'unreachable',
  'not_moonraker',
]);

/**
 * Returns a short status for menus: "Printing 42%", "Offline", "Disabled", "Not linked" or "Not linked,
 * unreachable" with the problem that the latest probe found.
 */
export function statusText(printer: PrinterSummary, strings: ShellStrings): string {
  if (!printer.enabled) return strings.disabled;
  if (printer.link === 'linking') return strings.linking;
  if (printer.link === 'unlinked') {
    const standby = printer.standby;
    return standby && STANDBY_PROBLEMS.has(standby)
      ? strings.notLinkedBecause(strings.standby[standby])
      : strings.notLinked;
  }
  if (printer.phase === 'Offline' || printer.overall === 'offline') return strings.phase.Offline;
  if (!printer.phase) {
    return printer.overall === 'error' ? strings.needsAttention : strings.connecting;
  }
  const phase = strings.phase[printer.phase];
  const percent = printer.job?.progressPercent;
  const printing = printer.phase === 'Printing' || printer.phase === 'Paused';
  if (printing && percent !== undefined) return strings.withProgress(phase, Math.round(percent));
  return phase;
}
