import { createContext, useContext, type ReactNode } from 'react';

import type { DesktopShell } from './desktop-shell.js';

const DesktopShellContext = createContext<DesktopShell | null>(null);

/** Provides the desktop shell inside Electron; `shell` is null in a browser. */
export function DesktopShellProvider(props: { shell: DesktopShell | null; children: ReactNode }) {
  return <DesktopShellContext value={props.shell}>{props.children}</DesktopShellContext>;
}

/** Returns the desktop shell, or null when the UI runs in a browser. */
export function useDesktopShell(): DesktopShell | null {
  return useContext(DesktopShellContext);
}
