import type { LinkWaitView, PrinterLinkActivity } from '../hooks/use-link-activity.js';
import { useNow } from '../hooks/use-now.js';
import { useI18n } from '../i18n/i18n-context.js';
import { formatDuration } from '../support/format.js';

/**
 * Renders what a linking printer waits on: Owl Cloud's acceptance of a code, with the attempt
 * and the time left of the exchange, or the browser, with the time left of the link there.
 */
export function LinkWaitStatus(props: { activity: PrinterLinkActivity }) {
  const { t } = useI18n();
  const { waiting, submitting } = props.activity;
  if (submitting || waiting?.step === 'cloud') {
    return (
      <div className="link-wait" role="status">
        <p>
          <span className="spinner" aria-hidden="true" /> {t('linking.codeBusy')}
        </p>
        {waiting?.expiresAt === undefined ? null : <CodeAttempt waiting={waiting} />}
      </div>
    );
  }
  if (waiting?.step === 'browser' && waiting.expiresAt !== undefined) {
    return <BrowserTimeLeft expiresAt={waiting.expiresAt} />;
  }
  return null;
}

function CodeAttempt(props: { waiting: LinkWaitView }) {
  const { t } = useI18n();
  const now = useNow(1000);
  const { attempt = 1, expiresAt = now } = props.waiting;
  const time = formatDuration(t, (expiresAt - now) / 1000);
  return <p className="muted">{t('linking.attempt', { attempt, time })}</p>;
}

function BrowserTimeLeft(props: { expiresAt: number }) {
  const { t } = useI18n();
  const now = useNow(1000);
  const time = formatDuration(t, (props.expiresAt - now) / 1000);
  return (
    <p className="muted" role="status">
      {t('linking.browserTimeLeft', { time })}
    </p>
  );
}
