import type { PrinterSummary } from '../../../shared/control-api/printer-views.js';

/**
 * How the tray and the notifications see one printer. The order is the severity, so the worst
 * condition of the fleet is the one with the highest rank.
 */
export const FLEET_CONDITIONS = ['idle', 'printing', 'attention', 'offline'] as const;
export type FleetCondition = (typeof FLEET_CONDITIONS)[number];

export function conditionRank(condition: FleetCondition): number {
  return FLEET_CONDITIONS.indexOf(condition);
}

/** Classifies an enabled printer; disabled printers count for nothing and return undefined. */
export function conditionOf(printer: PrinterSummary): FleetCondition | undefined {
  if (!printer.enabled) return undefined;
  if (printer.phase === 'Offline' || printer.overall === 'offline') return 'offline';
  if (printer.phase === 'Error' || printer.phase === 'Paused') return 'attention';
  if (printer.overall === 'error') return 'attention';
  if (printer.phase === 'Printing' || printer.phase === 'Cancelling') return 'printing';
  return 'idle';
}

/** The worst condition of the enabled printers; `idle` for an empty or all-disabled fleet. */
export function worstCondition(printers: readonly PrinterSummary[]): FleetCondition {
  let worst: FleetCondition = 'idle';
  for (const printer of printers) {
    const condition = conditionOf(printer);
    if (condition && conditionRank(condition) > conditionRank(worst)) worst = condition;
  }
  return worst;
}

/** A short status for menus: "Printing 42%", "Offline", "Disabled". */
export function statusText(printer: PrinterSummary): string {
  if (!printer.enabled) return 'Disabled';
  if (printer.phase === 'Offline' || printer.overall === 'offline') return 'Offline';
  const phase = printer.phase ?? 'Connecting';
  const percent = printer.job?.progressPercent;
  const printing = printer.phase === 'Printing' || printer.phase === 'Paused';
  if (printing && percent !== undefined) return `${phase} ${Math.round(percent)}%`;
  return phase;
}
