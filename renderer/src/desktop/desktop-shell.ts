import type { z } from 'zod';

import {
  desktopEvents,
  desktopMethods,
  type UpdateStateView,
} from '../../../shared/contract/desktop-ipc.js';
import { callBridge, type OwlBridge } from '../transport/owl-bridge.js';

/**
 * The methods that only the desktop shell offers the window, which are the updater's. The headless
 * service has no updater, so in a browser there is no shell and the UI leaves these controls out.
 */
export interface DesktopShell {
  updateState(): Promise<UpdateStateView>;
  checkForUpdates(): Promise<UpdateStateView>;
  /**
   * Restarts into the downloaded update. `confirmedPrinterIds` are the printing printers the user
   * agreed to interrupt, and the shell shows its own confirmation for any other printer that is
   * printing by then. Resolves to whether the app is restarting.
   */
  restartToUpdate(confirmedPrinterIds: readonly string[]): Promise<boolean>;
  /** Adds a listener for update state changes and returns the function that removes it. */
  onUpdate(listener: (state: UpdateStateView) => void): () => void;
}

/** The desktop methods through the preload's `window.owl`, with results validated here. */
export class OwlDesktopShell implements DesktopShell {
  constructor(private readonly bridge: OwlBridge) {}

  updateState(): Promise<UpdateStateView> {
    return this.call('app.update.state', {});
  }

  checkForUpdates(): Promise<UpdateStateView> {
    return this.call('app.update.check', {});
  }

  async restartToUpdate(confirmedPrinterIds: readonly string[]): Promise<boolean> {
    const params =
      confirmedPrinterIds.length > 0 ? { confirmedPrinterIds: [...confirmedPrinterIds] } : {};
    const result = await this.call('app.update.restart', params);
    return result.restarting;
  }

  onUpdate(listener: (state: UpdateStateView) => void): () => void {
    return this.bridge.on('app.update', (data) => {
      const parsed = desktopEvents['app.update'].safeParse(data);
      if (parsed.success) listener(parsed.data);
      else console.warn('The desktop shell sent an invalid app.update event');
    });
  }

  private async call<M extends keyof typeof desktopMethods>(
    method: M,
    params: z.input<(typeof desktopMethods)[M]['params']>,
  ): Promise<z.infer<(typeof desktopMethods)[M]['result']>> {
    const verb = this.bridge.app[method];
    const result = await callBridge(verb, method, params, desktopMethods[method].result);
    return result as z.infer<(typeof desktopMethods)[M]['result']>;
  }
}
