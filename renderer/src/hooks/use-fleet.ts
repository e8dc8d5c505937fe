import { useEffect, useState } from 'react';

import type { PrinterSummary } from '../../../shared/control-api/printer-views.js';
import { toErrorView, type ErrorView } from '../support/error-text.js';
import { useTransport, useTransportState } from '../transport/transport-context.js';

export interface FleetState {
  printers: readonly PrinterSummary[];
  loading: boolean;
  error: ErrorView | null;
}

/**
 * Tracks every printer of the fleet through `printer.changed` and `printer.removed`. The list
 * is loaded again whenever the connection opens, because events sent while it was down are lost.
 */
export function useFleet(): FleetState {
  const transport = useTransport();
  const connection = useTransportState();
  const [byId, setById] = useState<ReadonlyMap<string, PrinterSummary>>(new Map());
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ErrorView | null>(null);

  useEffect(() => {
    const stopChanged = transport.on('printer.changed', (printer) =>
      setById((current) => new Map(current).set(printer.id, printer)),
    );
    const stopRemoved = transport.on('printer.removed', ({ printerId }) =>
      setById((current) => {
        const next = new Map(current);
        next.delete(printerId);
        return next;
      }),
    );
    return () => {
      stopChanged();
      stopRemoved();
    };
  }, [transport]);

  useEffect(() => {
    if (connection !== 'open') return;
    let cancelled = false;
    transport.call('printers.list', {}).then(
      (printers) => {
        if (cancelled) return;
        setById(new Map(printers.map((printer) => [printer.id, printer])));
        setError(null);
        setLoading(false);
      },
      (failure: unknown) => {
        if (cancelled) return;
        setError(toErrorView(failure));
        setLoading(false);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [transport, connection]);

  return { printers: [...byId.values()], loading, error };
}
