import { useState } from 'react';

import { toErrorView, type ErrorView } from '../support/error-text.js';
import { useTransport } from '../transport/transport-context.js';

/** Stops one printer's linking through `link.cancel`, keeping the error. */
export function useCancelLink(printerId: string) {
  const transport = useTransport();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorView | null>(null);

  const cancel = async () => {
    setBusy(true);
    setError(null);
    try {
      await transport.call('link.cancel', { printerId });
    } catch (failure) {
      setError(toErrorView(failure));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, cancel };
}
