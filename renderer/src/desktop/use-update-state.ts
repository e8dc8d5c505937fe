import { useEffect, useState } from 'react';

import type { UpdateStateView } from '../../../shared/contract/desktop-ipc.js';
import type { DesktopShell } from './desktop-shell.js';

/**
 * Returns the updater's state and follows its changes; null until it has loaded, and always in a
 * browser, where there is no desktop shell.
 */
export function useUpdateState(shell: DesktopShell | null): UpdateStateView | null {
  const [state, setState] = useState<UpdateStateView | null>(null);

  useEffect(() => {
    if (!shell) return;
    let disposed = false;
    const stop = shell.onUpdate((next) => {
      if (!disposed) setState(next);
    });
    shell.updateState().then(
      (loaded) => {
        // An event that arrived during the call is newer than the loaded state.
        if (!disposed) setState((current) => current ?? loaded);
      },
      (error: unknown) => console.warn('Reading the update state failed', error),
    );
    return () => {
      disposed = true;
      stop();
    };
  }, [shell]);

  return state;
}
