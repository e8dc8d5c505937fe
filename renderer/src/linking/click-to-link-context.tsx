import { createContext, useContext, type ReactNode } from 'react';

import { useClickToLink, type ClickToLinkControls } from '../hooks/use-click-to-link.js';

const ClickToLinkContext = createContext<ClickToLinkControls | null>(null);

/** Provides one click-to-link session for the whole app, so every view shows the same progress. */
export function ClickToLinkProvider(props: { children: ReactNode }) {
  const controls = useClickToLink();
  return <ClickToLinkContext value={controls}>{props.children}</ClickToLinkContext>;
}

export function useClickToLinkSession(): ClickToLinkControls {
  const controls = useContext(ClickToLinkContext);
  if (!controls) throw new Error('useClickToLinkSession needs a ClickToLinkProvider above it');
  return controls;
}
