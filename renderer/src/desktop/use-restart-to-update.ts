import { useState } from 'react';

import { printersBlockingRestart } from '../../../shared/contract/restart-consent.js';
import { toErrorView, type ErrorView } from '../support/error-text.js';
import { useTransport } from '../transport/transport-context.js';
import type { DesktopShell } from './desktop-shell.js';

export interface BusyPrinter {
  id: string;
  name: string;
}

export type RestartFlow =
  | { step: 'idle' }
  | { step: 'loading' }
  | { step: 'confirming'; printers: readonly BusyPrinter[] }
  | { step: 'restarting' };

/**
 * Runs "Restart to update": restarts at once while no printer prints, else requests consent first
 * and names the printing printers. The printers are listed when the button is clicked, so the
 * confirmation names the current ones.
 */
export function useRestartToUpdate(shell: DesktopShell) {
  const transport = useTransport();
  const [flow, setFlow] = useState<RestartFlow>({ step: 'idle' });
  const [error, setError] = useState<ErrorView | null>(null);

  const restart = async (confirmed: readonly BusyPrinter[]) => {
    setFlow({ step: 'restarting' });
    try {
      const restarting = await shell.restartToUpdate(confirmed.map((printer) => printer.id));
      if (!restarting) setFlow({ step: 'idle' });
    } catch (failure) {
      setError(toErrorView(failure));
      setFlow({ step: 'idle' });
    }
  };

  const request = async () => {
    setError(null);
    setFlow({ step: 'loading' });
    let busy: BusyPrinter[];
    try {
      busy = printersBlockingRestart(await transport.call('printers.list', {}));
    } catch {
      // Without the list the shell's own confirmation names the printing printers.
      busy = [];
    }
    if (busy.length === 0) return restart([]);
    setFlow({ step: 'confirming', printers: busy.map(({ id, name }) => ({ id, name })) });
  };

  const confirm = () => (flow.step === 'confirming' ? restart(flow.printers) : Promise.resolve());
  const cancel = () => setFlow({ step: 'idle' });

  return { flow, error, request, confirm, cancel };
}
