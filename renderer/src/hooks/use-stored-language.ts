import { useEffect } from 'react';

import { useI18n } from '../i18n/i18n-context.js';
import { useTransport, useTransportState } from '../transport/transport-context.js';

/** Switches to the language stored in the settings once they are loaded. */
export function useStoredLanguage(): void {
  const transport = useTransport();
  const connection = useTransportState();
  const { setLanguage } = useI18n();

  useEffect(() => {
    if (connection !== 'open') return;
    let disposed = false;
    transport.call('settings.get', {}).then(
      (settings) => {
        if (!disposed && settings.language) setLanguage(settings.language);
      },
      () => undefined,
    );
    return () => {
      disposed = true;
    };
  }, [transport, connection, setLanguage]);
}
