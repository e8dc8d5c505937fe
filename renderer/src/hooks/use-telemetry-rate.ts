import { useState } from 'react';

import type { ControlParams } from '../../../shared/control-api/methods.js';
import { toErrorView, type ErrorView } from '../support/error-text.js';
import { useTransport } from '../transport/transport-context.js';

/** Watch durations offered, in seconds. */
export const WATCH_DURATIONS = [5 * 60, 15 * 60, 30 * 60, 60 * 60] as const;
/** Watch intervals offered, in seconds; `null` keeps the service's default. */
export const WATCH_INTERVALS = [null, 1, 2, 5, 10] as const;

export type WatchInterval = (typeof WATCH_INTERVALS)[number];

/** Sets the telemetry rate: idle, or watch for a chosen time at a chosen interval. */
export function useTelemetryRate(printerId: string) {
  const transport = useTransport();
  const [durationSeconds, setDurationSeconds] = useState<number>(WATCH_DURATIONS[1]);
  const [intervalSeconds, setIntervalSeconds] = useState<WatchInterval>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorView | null>(null);

  const apply = async (params: ControlParams<'printers.setTelemetryRate'>) => {
    setBusy(true);
    setError(null);
    try {
      await transport.call('printers.setTelemetryRate', params);
    } catch (failure) {
      setError(toErrorView(failure));
    } finally {
      setBusy(false);
    }
  };

  const watch = () =>
    apply({
      printerId,
      mode: 'watch',
      durationSeconds,
      ...(intervalSeconds === null ? {} : { intervalSeconds }),
    });
  const idle = () => apply({ printerId, mode: 'idle' });

  return {
    durationSeconds,
    setDurationSeconds,
    intervalSeconds,
    setIntervalSeconds,
    busy,
    error,
    watch,
    idle,
  };
}
