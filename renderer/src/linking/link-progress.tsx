import type { PrinterSummary } from '../../../shared/control-api/printer-views.js';
import { isFinished, type ClickToLink } from '../hooks/use-click-to-link.js';
import { useI18n } from '../i18n/i18n-context.js';
import { ErrorMessage } from '../app/error-message.js';
import { useClickToLinkSession } from './click-to-link-context.js';

/**
 * Renders the click-to-link session, announced to screen readers. Without `printerId` it shows
 * the whole session: its printers' outcomes, the printers the service left out, and a button
 * that ends the session. With `printerId`, as in a printer's link panel, it shows only that
 * printer's wait for the browser, because the panel shows the outcome from the linking store.
 * `printers` supplies the names to show.
 */
export function LinkProgress(props: { printers: readonly PrinterSummary[]; printerId?: string }) {
  const { t } = useI18n();
  const { session, reopen, dismiss } = useClickToLinkSession();
  const { printerId } = props;
  if (session.phase === 'idle') return null;
  if (printerId !== undefined && !session.printerIds.includes(printerId)) return null;

  const wholeSession = printerId === undefined;
  const shownIds = wholeSession ? session.printerIds : [printerId];
  const waiting = session.phase === 'waiting' && !shownIds.every((id) => hasOutcome(session, id));
  if (!wholeSession && session.phase === 'waiting' && !waiting) return null;

  const nameOf = (id: string) =>
    props.printers.find((printer) => printer.id === id)?.name ?? t('linking.unnamedPrinter');
  return (
    <div className="link-progress" aria-live="polite">
      {session.phase === 'starting' ? <p>{t('common.loading')}</p> : null}
      {session.phase === 'failed' ? <ErrorMessage error={session.error} /> : null}
      {waiting ? (
        <p>
          <span className="spinner" aria-hidden="true" /> {t('linking.waiting')}{' '}
          <button type="button" onClick={reopen}>
            {t('linking.openAgain')}
          </button>
        </p>
      ) : null}
      {wholeSession && session.phase === 'waiting' ? (
        <ul>
          {session.skipped.map((skipped) => (
            <li key={skipped.printerId} data-state="skipped">
              {t('linking.skipped', { name: nameOf(skipped.printerId), message: skipped.message })}
            </li>
          ))}
          {shownIds.map((id) => {
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
      {isFinished(session) && (wholeSession || session.phase === 'failed') ? (
        <button type="button" onClick={dismiss}>
          {allLinked(session) ? t('linking.done') : t('linking.close')}
        </button>
      ) : null}
    </div>
  );
}

function hasOutcome(session: ClickToLink, printerId: string): boolean {
  if (session.phase !== 'waiting') return false;
  const state = session.outcomes[printerId]?.state;
  return state === 'linked' || state === 'failed';
}

function allLinked(session: ClickToLink): boolean {
  if (session.phase !== 'waiting') return false;
  return session.printerIds.every((id) => session.outcomes[id]?.state === 'linked');
}
