import {
  createContext,
  useContext,
  useEffect,
  useMemo,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from 'react';

import { TemperatureHistory, type TemperatureSample } from '../support/temperature-history.js';
import { useTransport, useTransportState } from '../transport/transport-context.js';

const HistoryContext = createContext<TemperatureHistory | null>(null);

/**
 * Records every printer's temperatures from the moment the app starts. A chart also loads the
 * service's history of its printer (`useTemperatureSamples`), which reaches back before the
 * page was opened.
 */
export function TemperatureHistoryProvider(props: { children: ReactNode }) {
  const transport = useTransport();
  const [history] = useState(() => new TemperatureHistory());
  useEffect(() => {
    const stopChanged = transport.on('printer.changed', (printer) => history.record(printer));
    const stopRemoved = transport.on('printer.removed', ({ printerId }) =>
      history.forget(printerId),
    );
    return () => {
      stopChanged();
      stopRemoved();
    };
  }, [transport, history]);
  return <HistoryContext value={history}>{props.children}</HistoryContext>;
}

/**
 * Returns the printer's samples and re-renders on each new one. Each time the connection opens,
 * it loads the service's ten-minute history of the printer into them; without it (a service
 * from before `printers.temperatureHistory`, or a failed call) the chart starts from what this
 * page recorded.
 */
export function useTemperatureSamples(printerId: string): readonly TemperatureSample[] {
  const history = useContext(HistoryContext);
  if (!history)
    throw new Error('useTemperatureSamples needs a TemperatureHistoryProvider above it');
  const transport = useTransport();
  const connection = useTransportState();
  useEffect(() => {
    if (connection !== 'open') return;
    let disposed = false;
    transport.call('printers.temperatureHistory', { printerId }).then(
      (view) => {
        if (!disposed) history.seed(printerId, view);
      },
      () => undefined,
    );
    return () => {
      disposed = true;
    };
  }, [transport, connection, history, printerId]);
  const version = useSyncExternalStore(
    (notify) => history.subscribe((id) => id === printerId && notify()),
    () => history.version(printerId),
  );
  // `version` changes with every sample, so a new array is built only when there is one.
  return useMemo(
    () => (version >= 0 ? history.samples(printerId) : []),
    [history, printerId, version],
  );
}
