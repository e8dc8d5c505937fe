import { useState } from 'react';

import type { ControlResult } from '../../../shared/control-api/methods.js';
import { toErrorView, type ErrorView } from '../support/error-text.js';
import { useTransport } from '../transport/transport-context.js';

/** `diagnostics.export` into the service's data folder, with the written path. */
export function useDiagnosticsExport() {
  const transport = useTransport();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ControlResult<'diagnostics.export'> | null>(null);
  const [error, setError] = useState<ErrorView | null>(null);

  const exportBundle = async () => {
    setBusy(true);
    setError(null);
    try {
      setResult(await transport.call('diagnostics.export', {}));
    } catch (failure) {
      setError(toErrorView(failure));
    } finally {
      setBusy(false);
    }
  };
  return { busy, result, error, exportBundle };
}
