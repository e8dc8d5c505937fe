import type { PrinterPhase } from '../../../shared/contract/status.js';
import type { PrinterSummary, StandbyState } from '../../../shared/control-api/printer-views.js';

export const SORT_KEYS = ['name', 'status', 'progress'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

/**
 * The status a printer is filtered and sorted by: its phase while a bridge runs, `standby` for a
 * printer without a bridge (unlinked or disabled, with `summary.standby` set), and `unknown`
 * for a bridge that has not reported a phase yet.
 */
export type FleetStatus = PrinterPhase | 'standby' | 'unknown';

/** `all`, or one status. */
export type PhaseFilter = 'all' | FleetStatus;

/** Order of statuses when sorting by status: what needs attention first. */
const STATUS_RANK: Readonly<Record<FleetStatus, number>> = {
  Error: 0,
  Offline: 1,
  Paused: 2,
  Printing: 3,
  Cancelling: 4,
  Completed: 5,
  Cancelled: 6,
  Idle: 7,
  standby: 8,
  unknown: 9,
};

/** Order of printers without a bridge: a problem the user can fix first, ready ones last. */
const STANDBY_RANK: Readonly<Record<StandbyState, number>> = {
  needs_api_key: 0,
  unreachable: 1,
  not_moonraker: 2,
  klippy_not_ready: 3,
  checking: 4,
  ready_to_link: 5,
  ready: 6,
};

/** Returns the status that the filter and the status sort use for a printer. */
export function fleetStatusOf(printer: PrinterSummary): FleetStatus {
  if (printer.phase) return printer.phase;
  return printer.standby === undefined ? 'unknown' : 'standby';
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

function byName(a: PrinterSummary, b: PrinterSummary): number {
  return collator.compare(a.name, b.name) || a.id.localeCompare(b.id);
}

function compareBy(key: SortKey): (a: PrinterSummary, b: PrinterSummary) => number {
  switch (key) {
    case 'name':
      return byName;
    case 'status':
      return (a, b) =>
        STATUS_RANK[fleetStatusOf(a)] - STATUS_RANK[fleetStatusOf(b)] ||
        standbyRank(a) - standbyRank(b) ||
        byName(a, b);
    case 'progress':
      return (a, b) => progressOf(b) - progressOf(a) || byName(a, b);
  }
}

function standbyRank(printer: PrinterSummary): number {
  return printer.standby === undefined ? 0 : STANDBY_RANK[printer.standby];
}

function progressOf(printer: PrinterSummary): number {
  return printer.job?.progressPercent ?? -1;
}

function matchesText(printer: PrinterSummary, text: string): boolean {
  const needle = text.trim().toLowerCase();
  if (needle === '') return true;
  return [printer.name, printer.moonrakerUrl, printer.job?.name ?? ''].some((field) =>
    field.toLowerCase().includes(needle),
  );
}

/** Returns the printers that match the text and the phase, sorted by the key. */
export function orderFleet(
  printers: readonly PrinterSummary[],
  options: { sortKey: SortKey; text: string; phase: PhaseFilter },
): PrinterSummary[] {
  return printers
    .filter((printer) => options.phase === 'all' || fleetStatusOf(printer) === options.phase)
    .filter((printer) => matchesText(printer, options.text))
    .sort(compareBy(options.sortKey));
}
