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

  /** Applies a patch; resolves to whether the service accepted it. */
  const update = async (patch: SettingsPatch): Promise<boolean> => {
    setError(null);
    try {
      setSettings(await transport.call('settings.update', patch));
      return true;
    } catch (failure) {
      setError(toErrorView(failure));
      return false;
    }
  };
  return { settings, error, update };
}
