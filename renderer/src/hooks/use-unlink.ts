import { useState } from 'react';

import { toErrorView, type ErrorView } from '../support/error-text.js';
import { useTransport } from '../transport/transport-context.js';

/** Unlinks one printer from Owl Cloud through `link.unlink`, keeping the error. */
export function useUnlink(printerId: string) {
  const transport = useTransport();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorView | null>(null);

  const unlink = async () => {
    setBusy(true);
    setError(null);
    try {
      await transport.call('link.unlink', { printerId });
    } catch (failure) {
      setError(toErrorView(failure));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, unlink };
}
