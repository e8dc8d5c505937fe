import { useState } from 'react';

import { toErrorView, type ErrorView } from '../support/error-text.js';
import { useTransport } from '../transport/transport-context.js';

/** Removes one printer through `printers.remove`, keeping the error. */
export function useRemovePrinter(printerId: string) {
  const transport = useTransport();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorView | null>(null);

  /** Resolves to whether the service removed the printer. */
  const remove = async (): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await transport.call('printers.remove', { printerId });
      return true;
    } catch (failure) {
      setError(toErrorView(failure));
      return false;
    } finally {
      setBusy(false);
    }
  };

  /** Forgets the error of a failed removal, as when the confirmation is closed. */
  const reset = () => setError(null);
  return { busy, error, remove, reset };
}
