import { useState } from 'react';

import { toErrorView, type ErrorView } from '../support/error-text.js';
import { useTransport } from '../transport/transport-context.js';

/** Links one printer with a pasted code through `link.withCode`, keeping the error. */
export function useLinkCode(printerId: string) {
  const transport = useTransport();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorView | null>(null);
  const [linked, setLinked] = useState(false);

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await transport.call('link.withCode', { printerId, code: code.trim() });
      setLinked(true);
      setCode('');
    } catch (failure) {
      setError(toErrorView(failure));
    } finally {
      setBusy(false);
    }
  };
  return { code, setCode, busy, error, linked, submit };
}
