import type { PrinterSummary } from '../../shared/control-api/printer-views.js';
import type { FleetService } from './fleet-service.js';
import { assertMoonrakerUrlFree, normalizeMoonrakerUrl } from './printer-records.js';

/**
 * Points a printer at another Moonraker and restarts only its bridge, or probes it again at once
 * when it has none. The remembered instance key is dropped, because the new address may be
 * another Moonraker. An address equal to the stored one after normalizing changes nothing, so a
 * running print's bridge is not restarted for it.
 */
export async function setMoonrakerUrl(
  service: FleetService,
  printerId: string,
  moonrakerUrl: string,
): Promise<PrinterSummary> {
  const { settings, runtime, discovery } = service;
  const printer = service.printerSettings(printerId);
  const url = normalizeMoonrakerUrl(moonrakerUrl);
  if (normalizeMoonrakerUrl(printer.moonrakerUrl) === url) return runtime.summary(printerId);

  await settings.update((draft) => {
    // Checked on the draft, so two changes to one address cannot both pass.
    assertMoonrakerUrlFree(draft.printers, url, printerId);
    const stored = draft.printers.find((candidate) => candidate.id === printerId);
    if (!stored) return;
    stored.moonrakerUrl = url;
    delete stored.instanceKey;
  });
  if (printer.instanceKey) discovery.setPrinterId(printer.instanceKey, undefined);
  service.options.logger.info(
    { localPrinterId: printerId, from: printer.moonrakerUrl, to: url },
    'Printer Moonraker URL changed',
  );
  return runtime.reconfigure(printerId, { moonrakerUrl: url });
}
