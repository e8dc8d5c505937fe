import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';

import type { ControlTransport, TransportState } from './control-transport.js';

const TransportContext = createContext<ControlTransport | null>(null);

export function TransportProvider(props: { transport: ControlTransport; children: ReactNode }) {
  return <TransportContext value={props.transport}>{props.children}</TransportContext>;
}

export function useTransport(): ControlTransport {
  const transport = useContext(TransportContext);
  if (!transport) throw new Error('useTransport needs a TransportProvider above it');
  return transport;
}

/** Returns the transport's connection state and re-renders on every change. */
export function useTransportState(): TransportState {
  const transport = useTransport();
  return useSyncExternalStore(
    (notify) => transport.onStateChange(notify),
    () => transport.state,
  );
}
