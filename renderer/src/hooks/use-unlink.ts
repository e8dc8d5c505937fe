import { useState } from 'react';

import { toErrorView, type ErrorView } from '../support/error-text.js';
import { useTransport } from '../transport/transport-context.js';

/** Unlinks one printer from Owl Cloud through `link.unlink`, keeping the error. */
export function useUnlink(printerId: string) {
  const transport = useTransport();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorView | null>(null);

  /** Resolves with whether the printer was unlinked. */
  const unlink = async (): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await transport.call('link.unlink', { printerId });
      return true;
    } catch (failure) {
      setError(toErrorView(failure));
      return false;
    } finally {
      setBusy(false);
    }
  };
  const reset = () => setError(null);
  return { busy, error, unlink, reset };
}
