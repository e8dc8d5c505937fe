import { useEffect, useState } from 'react';

import type { SweepProgress } from '../../../shared/control-api/printer-views.js';
import { toErrorView, type ErrorView } from '../support/error-text.js';
import { useTransport } from '../transport/transport-context.js';

/** Starts and cancels a subnet sweep and follows `sweep.progress` for its id. */
export function useSweep() {
  const transport = useTransport();
  const [progress, setProgress] = useState<SweepProgress | null>(null);
  const [error, setError] = useState<ErrorView | null>(null);

  useEffect(
    () =>
      transport.on('sweep.progress', (next) =>
        setProgress((current) => (current?.sweepId === next.sweepId ? next : current)),
      ),
    [transport],
  );

  const start = async (cidr: string) => {
    setError(null);
    try {
      const trimmed = cidr.trim();
      setProgress(await transport.call('discovery.startSweep', trimmed ? { cidr: trimmed } : {}));
    } catch (failure) {
      setError(toErrorView(failure));
    }
  };

  const cancel = async () => {
    if (!progress) return;
    try {
      await transport.call('discovery.cancelSweep', { sweepId: progress.sweepId });
    } catch (failure) {
      setError(toErrorView(failure));
    }
  };

  const running = progress?.state === 'running';
  return { progress, error, running, start, cancel };
}
