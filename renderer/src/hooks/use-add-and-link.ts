import { useState } from 'react';

import type { DiscoveredPrinter } from '../../../shared/control-api/printer-views.js';
import { toErrorView } from '../support/error-text.js';
import { useTransport } from '../transport/transport-context.js';

export interface AddFailure {
  host: string;
  message: string;
}

/**
 * Adds the selected discovered printers that are not in the fleet yet, then starts one
 * click-to-link session for them and the selected printers that are in the fleet already. A
 * printer that fails to add is reported and left out. The service leaves out a printer that was
 * linked meanwhile, and the session lists it as skipped.
 */
export function useAddAndLink(startLink: (printerIds: readonly string[]) => Promise<void>) {
  const transport = useTransport();
  const [busy, setBusy] = useState(false);
  const [failures, setFailures] = useState<readonly AddFailure[]>([]);

  const addAndLink = async (selected: readonly DiscoveredPrinter[]) => {
    setBusy(true);
    setFailures([]);
    const printerIds: string[] = [];
    const failed: AddFailure[] = [];
    for (const printer of selected) {
      if (printer.printerId) {
        printerIds.push(printer.printerId);
        continue;
      }
      try {
        const added = await transport.call('printers.add', {
          host: printer.host,
          port: printer.port,
        });
        printerIds.push(added.id);
      } catch (error) {
        failed.push({
          host: `${printer.host}:${printer.port}`,
          message: toErrorView(error).message,
        });
      }
    }
    setFailures(failed);
    if (printerIds.length > 0) await startLink(printerIds);
    setBusy(false);
  };
  return { busy, failures, addAndLink };
}
