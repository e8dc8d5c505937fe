import { useEffect, useState } from 'react';

import type { PrinterDetail } from '../../../shared/control-api/printer-views.js';
import { toErrorView, type ErrorView } from '../support/error-text.js';
import { useTransport, useTransportState } from '../transport/transport-context.js';

/** Shortest pause between two `printers.get` calls that `printer.changed` events cause. */
const DETAIL_REFRESH_MS = 2000;

/**
 * Loads one printer's detail and keeps it current. A `printer.changed` event updates the summary fields at once and
 * reloads the events, commands and timeline at most every two seconds, so a printer in watch
 * mode does not cause a call per update.
 */
export function usePrinterDetail(printerId: string) {
  const transport = useTransport();
  const connection = useTransportState();
  const [detail, setDetail] = useState<PrinterDetail | null>(null);
  const [error, setError] = useState<ErrorView | null>(null);
  const [removed, setRemoved] = useState(false);

  useEffect(() => {
    if (connection !== 'open') return;
    let disposed = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const load = () => {
      timer = null;
      transport.call('printers.get', { printerId }).then(
        (next) => {
          if (!disposed) setDetail(next);
        },
        (failure: unknown) => {
          if (!disposed) setError(toErrorView(failure));
        },
      );
    };
    const stopChanged = transport.on('printer.changed', (summary) => {
      if (summary.id !== printerId) return;
      setDetail((current) => (current ? { ...current, ...summary } : current));
      timer ??= setTimeout(load, DETAIL_REFRESH_MS);
    });
    const stopRemoved = transport.on('printer.removed', (event) => {
      if (event.printerId === printerId) setRemoved(true);
    });
    load();
    return () => {
      disposed = true;
      if (timer) clearTimeout(timer);
      stopChanged();
      stopRemoved();
    };
  }, [transport, connection, printerId]);

  return { detail, error, removed };
}
