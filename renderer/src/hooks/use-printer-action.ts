import { useState } from 'react';

import { toErrorView, type ErrorView } from '../support/error-text.js';
import { useTransport } from '../transport/transport-context.js';

/** Control methods that act on one printer and take only its id. */
export type PrinterActionMethod = 'printers.remove' | 'link.unlink' | 'link.cancel';

/**
 * Calls one control method on one printer, such as `printers.remove`, and keeps whether the call
 * is running and the error of the last failed call.
 */
export function usePrinterAction(method: PrinterActionMethod, printerId: string) {
  const transport = useTransport();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorView | null>(null);

  /** Resolves to whether the call succeeded. It never rejects, because `error` keeps a failure. */
  const run = async (): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await transport.call(method, { printerId });
      return true;
    } catch (failure) {
      setError(toErrorView(failure));
      return false;
    } finally {
      setBusy(false);
    }
  };

  /** Forgets the error of a failed call, as when its confirmation is closed. */
  const reset = () => setError(null);
  return { busy, error, run, reset };
}
