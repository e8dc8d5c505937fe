import type { PrinterSummary } from '../../../shared/control-api/printer-views.js';
import { isFinished } from '../hooks/use-click-to-link.js';
import { useI18n } from '../i18n/i18n-context.js';
import { ErrorMessage } from '../app/error-message.js';
import { useClickToLinkSession } from './click-to-link-context.js';

/** Renders the click-to-link progress and outcome, announced to screen readers. */
export function LinkProgress(props: { printers: readonly PrinterSummary[] }) {
  const { t } = useI18n();
  const { session, reopen, dismiss } = useClickToLinkSession();
  if (session.phase === 'idle') return null;

  const nameOf = (id: string) => props.printers.find((printer) => printer.id === id)?.name ?? id;
  return (
    <div className="link-progress" aria-live="polite">
      {session.phase === 'starting' ? <p>{t('common.loading')}</p> : null}
      {session.phase === 'failed' ? <ErrorMessage error={session.error} /> : null}
      {session.phase === 'waiting' && !isFinished(session) ? (
        <p>
          <span className="spinner" aria-hidden="true" /> {t('linking.waiting')}{' '}
          <button type="button" onClick={reopen}>
            {t('linking.openAgain')}
          </button>
        </p>
      ) : null}
      {session.phase === 'waiting' ? (
        <ul>
          {session.printerIds.map((id) => {
            const outcome = session.outcomes[id];
            if (!outcome || outcome.state === 'waiting') return null;
            const text =
              outcome.state === 'linked'
                ? t('linking.linked', { name: nameOf(id) })
                : t('linking.failed', { name: nameOf(id), message: outcome.message });
            return (
              <li key={id} data-state={outcome.state}>
                {text}
              </li>
            );
          })}
        </ul>
      ) : null}
      {isFinished(session) ? (
        <button type="button" onClick={dismiss}>
          {t('common.cancel')}
        </button>
      ) : null}
    </div>
  );
}
