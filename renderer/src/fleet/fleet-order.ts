import type { PrinterPhase } from '../../../shared/contract/status.js';
import type { PrinterSummary } from '../../../shared/control-api/printer-views.js';

export const SORT_KEYS = ['name', 'status', 'progress'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

/** `all`, a phase, or `unknown` for printers that have not reported a phase yet. */
export type PhaseFilter = 'all' | PrinterPhase | 'unknown';

/** Order of phases when sorting by status: what needs attention first. */
const PHASE_RANK: Readonly<Record<PrinterPhase | 'unknown', number>> = {
  Error: 0,
  Offline: 1,
  Paused: 2,
  Printing: 3,
  Cancelling: 4,
  Completed: 5,
  Cancelled: 6,
  Idle: 7,
  unknown: 8,
};

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
        PHASE_RANK[a.phase ?? 'unknown'] - PHASE_RANK[b.phase ?? 'unknown'] || byName(a, b);
    case 'progress':
      return (a, b) => progressOf(b) - progressOf(a) || byName(a, b);
  }
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
    .filter((printer) => options.phase === 'all' || (printer.phase ?? 'unknown') === options.phase)
    .filter((printer) => matchesText(printer, options.text))
    .sort(compareBy(options.sortKey));
}
