import { useState } from 'react';

import type { ControlParams } from '../../../shared/control-api/methods.js';
import type { PrinterSummary } from '../../../shared/control-api/printer-views.js';
import { toErrorView, type ErrorView } from '../support/error-text.js';
import { useTransport } from '../transport/transport-context.js';

/** Watch durations offered, in seconds. */
export const WATCH_DURATIONS = [5 * 60, 15 * 60, 30 * 60, 60 * 60] as const;
/**
 * Watch intervals offered, in seconds. The service keeps a watch interval between its sensors
 * floor (0.5 s by default) and 1 s, and moves any other request into that range.
 */
// NOTE: these copy the service's defaults because shared/contract exports no limits. A floor set
// above 0.5 s shows up in the applied rate.
export const WATCH_INTERVALS = [0.5, 1] as const;

export type WatchInterval = (typeof WATCH_INTERVALS)[number];

/** The rate that the service applied, from the summary that `setTelemetryRate` returns. */
export type AppliedRate = PrinterSummary['telemetry'];

/**
 * Sets the telemetry rate: idle, or watch for a chosen time at a chosen interval. `applied` is
 * the rate the service reports after the last accepted change, which may differ from the request.
 */
export function useTelemetryRate(printerId: string) {
  const transport = useTransport();
  const [durationSeconds, setDurationSeconds] = useState<number>(WATCH_DURATIONS[1]);
  const [intervalSeconds, setIntervalSeconds] = useState<WatchInterval>(1);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorView | null>(null);
  const [applied, setApplied] = useState<AppliedRate | null>(null);

  const apply = async (params: ControlParams<'printers.setTelemetryRate'>) => {
    setBusy(true);
    setError(null);
    setApplied(null);
    try {
      const summary = await transport.call('printers.setTelemetryRate', params);
      setApplied(summary.telemetry);
    } catch (failure) {
      setError(toErrorView(failure));
    } finally {
      setBusy(false);
    }
  };

  const watch = () => apply({ printerId, mode: 'watch', durationSeconds, intervalSeconds });
  const idle = () => apply({ printerId, mode: 'idle' });

  return {
    durationSeconds,
    setDurationSeconds,
    intervalSeconds,
    setIntervalSeconds,
    busy,
    error,
    applied,
    watch,
    idle,
  };
}
