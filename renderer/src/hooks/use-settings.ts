import { useEffect, useState } from 'react';

import type { AppSettings, SettingsPatch } from '../../../shared/settings/app-settings.js';
import { toErrorView, type ErrorView } from '../support/error-text.js';
import { useTransport, useTransportState } from '../transport/transport-context.js';

/** The app settings with `settings.update`, which returns the stored result. */
export function useSettings() {
  const transport = useTransport();
  const connection = useTransportState();
  const [settings, setSettings] = useState<AppSettings | null>(null);
  const [error, setError] = useState<ErrorView | null>(null);

  useEffect(() => {
    if (connection !== 'open') return;
    let disposed = false;
    transport.call('settings.get', {}).then(
      (loaded) => {
        if (!disposed) setSettings(loaded);
      },
      (failure: unknown) => {
        if (!disposed) setError(toErrorView(failure));
      },
    );
    return () => {
      disposed = true;
    };
  }, [transport, connection]);

  /**
   * Applies a patch and resolves to the service's rejection, or null once it stored the patch.
   * The caller shows the rejection, next to the inputs it concerns.
   */
  const save = async (patch: SettingsPatch): Promise<ErrorView | null> => {
    try {
      setSettings(await transport.call('settings.update', patch));
      return null;
    } catch (failure) {
      return toErrorView(failure);
    }
  };

  /** Applies a patch, showing a rejection as the page's error; resolves to whether it was stored. */
  const update = async (patch: SettingsPatch): Promise<boolean> => {
    setError(null);
    const rejection = await save(patch);
    setError(rejection);
    return rejection === null;
  };
  return { settings, error, update, save };
}
