import { useEffect, useState } from 'react';

import type { DiscoveredPrinter } from '../../../shared/control-api/printer-views.js';
import { toErrorView, type ErrorView } from '../support/error-text.js';
import { useTransport, useTransportState } from '../transport/transport-context.js';

/** Printers found on the network, replaced as a whole by every `discovery.changed` event. */
export function useDiscovery() {
  const transport = useTransport();
  const connection = useTransportState();
  const [found, setFound] = useState<readonly DiscoveredPrinter[]>([]);
  const [error, setError] = useState<ErrorView | null>(null);

  useEffect(() => transport.on('discovery.changed', setFound), [transport]);

  useEffect(() => {
    if (connection !== 'open') return;
    let cancelled = false;
    transport.call('discovery.list', {}).then(
      (list) => {
        if (!cancelled) setFound(list);
      },
      (failure: unknown) => {
        if (!cancelled) setError(toErrorView(failure));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [transport, connection]);

  const refresh = () => {
    setError(null);
    transport
      .call('discovery.refresh', {})
      .catch((failure: unknown) => setError(toErrorView(failure)));
  };
  return { found, error, refresh };
}
