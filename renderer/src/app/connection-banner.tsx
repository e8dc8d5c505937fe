import { useI18n } from '../i18n/i18n-context.js';
import { useTransportState } from '../transport/transport-context.js';

/** Renders a banner while the service cannot be reached, and nothing while connected. */
export function ConnectionBanner() {
  const { t } = useI18n();
  const state = useTransportState();
  if (state === 'open') return null;
  const message =
    state === 'connecting'
      ? t('connection.connecting')
      : state === 'reconnecting'
        ? t('connection.reconnecting')
        : t('connection.closed');
  return (
    <div className="banner" role="status" data-state={state}>
      {message}
    </div>
  );
}
