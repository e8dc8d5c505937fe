import { useTransport } from '../transport/transport-context.js';
import { useI18n, type Language } from '../i18n/i18n-context.js';

/**
 * Switches the UI language at once and stores it in the settings, so the next start and the
 * tray use it too. A failed store leaves the switch in place for this session.
 */
export function useLanguageChoice() {
  const transport = useTransport();
  const { language, setLanguage } = useI18n();
  const choose = (next: Language) => {
    setLanguage(next);
    transport.call('settings.update', { language: next }).catch((error: unknown) => {
      console.warn('Could not store the language in the settings', error);
    });
  };
  return { language, choose };
}
