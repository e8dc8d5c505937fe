import type { ControlEventData, ControlEventName } from '../../../shared/control-api/events.js';
import type { PrinterSummary } from '../../../shared/control-api/printer-views.js';
import type { AppSettings } from '../../../shared/settings/app-settings.js';

/**
 * The shell's copy of what the tray, notifications and updater read: the printer summaries and
 * the settings, kept current from control events and from the results of `settings.update`.
 */
export class FleetSnapshot {
  private readonly printersById = new Map<string, PrinterSummary>();

  constructor(
    public settings: AppSettings,
    printers: readonly PrinterSummary[],
  ) {
    for (const printer of printers) this.printersById.set(printer.id, printer);
  }

  get printers(): PrinterSummary[] {
    return [...this.printersById.values()];
  }

  /** Applies a control event; returns whether the printer list changed. */
  apply<E extends ControlEventName>(event: E, data: ControlEventData<E>): boolean {
    if (event === 'printer.changed') {
      const printer = data as ControlEventData<'printer.changed'>;
      this.printersById.set(printer.id, printer);
      return true;
    }
    if (event === 'printer.removed') {
      return this.printersById.delete((data as ControlEventData<'printer.removed'>).printerId);
    }
    return false;
  }
}
