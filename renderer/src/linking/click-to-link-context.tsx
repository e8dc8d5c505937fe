import { createContext, useContext, type ReactNode } from 'react';

import { useClickToLink, type ClickToLinkControls } from '../hooks/use-click-to-link.js';
import { LinkActivityContext, useLinkActivityStore } from '../hooks/use-link-activity.js';

const ClickToLinkContext = createContext<ClickToLinkControls | null>(null);

/**
 * Provides the app's linking state to every view: one click-to-link session, and each
 * printer's link progress and last outcome, which outlive the view that started a link.
 */
export function ClickToLinkProvider(props: { children: ReactNode }) {
  const controls = useClickToLink();
  const activity = useLinkActivityStore();
  return (
    <LinkActivityContext value={activity}>
      <ClickToLinkContext value={controls}>{props.children}</ClickToLinkContext>
    </LinkActivityContext>
  );
}

export function useClickToLinkSession(): ClickToLinkControls {
  const controls = useContext(ClickToLinkContext);
  if (!controls) throw new Error('useClickToLinkSession needs a ClickToLinkProvider above it');
  return controls;
}
