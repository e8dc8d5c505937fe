import { useEffect, useRef, useState } from 'react';

import type { PrinterSummary } from '../../../shared/control-api/printer-views.js';
import { ErrorMessage } from '../app/error-message.js';
import { useLinkActivity } from '../hooks/use-link-activity.js';
import { usePrinterAction } from '../hooks/use-printer-action.js';
import { useI18n } from '../i18n/i18n-context.js';
import { useClickToLinkSession } from './click-to-link-context.js';
import { LinkCodeForm } from './link-code-form.js';
import { LinkOutcome } from './link-outcome.js';
import { LinkProgress } from './link-progress.js';
import { LinkWaitStatus } from './link-wait-status.js';
import { UnlinkButton } from './unlink-button.js';

/**
 * Links one printer by click-to-link in the browser, or by a pasted code. The progress and the
 * last outcome come from the linking store above the views, so they show whichever page,
 * client or restart started the link. While the printer is linking the panel offers to cancel.
 */
export function LinkPanel(props: { printer: PrinterSummary }) {
  const { t } = useI18n();
  const { session, start } = useClickToLinkSession();
  const { activity, dismissOutcome, clearOutcome } = useLinkActivity(props.printer.id);
  const cancelling = usePrinterAction('link.cancel', props.printer.id);
  const { printer } = props;
  const linking = printer.link === 'linking' || activity.submitting;
  const heading = useRef<HTMLHeadingElement>(null);
  const startButton = useRef<HTMLButtonElement>(null);
  // Unlink and "Cancel linking" remove the button that had the focus, so the panel moves it
  // once the printer no longer links. The counter runs the effect again for each request.
  const focusPending = useRef(false);
  const [focusRequests, setFocusRequests] = useState(0);
  const requestFocus = () => {
    focusPending.current = true;
    setFocusRequests((count) => count + 1);
  };

  useEffect(() => {
    if (!focusPending.current || linking) return;
    // This effect runs after the confirmation dialog has closed, because React runs every
    // effect cleanup of a commit before its effects.
    focusPending.current = false;
    (startButton.current ?? heading.current)?.focus();
  }, [focusRequests, linking]);

  return (
    <section className="card stack" aria-labelledby={`link-${printer.id}`}>
      <h2 id={`link-${printer.id}`} ref={heading} tabIndex={-1}>
        {t('linking.heading')}
      </h2>
      <p>
        <span className="link-state" data-link={printer.link}>
          {t(`link.${printer.link}`)}
        </span>
        {printer.deviceId ? (
          <span className="muted"> · {t('detail.device', { deviceId: printer.deviceId })}</span>
        ) : null}
      </p>
      {activity.outcome && !linking ? (
        <LinkOutcome
          printerName={printer.name}
          outcome={activity.outcome}
          onDismiss={dismissOutcome}
        />
      ) : null}
      {printer.link === 'linked' ? (
        <UnlinkButton
          printer={printer}
          onUnlinked={() => {
            clearOutcome();
            requestFocus();
          }}
        />
      ) : null}
      {linking ? (
        <>
          <LinkWaitStatus activity={activity} />
          <div>
            <button
              type="button"
              disabled={cancelling.busy}
              onClick={() => {
                void cancelling.run().then((cancelled) => {
                  if (cancelled) requestFocus();
                });
              }}
            >
              {t('linking.cancel')}
            </button>
          </div>
        </>
      ) : null}
      {cancelling.error ? <ErrorMessage error={cancelling.error} /> : null}
      {printer.link === 'linked' ? null : (
        <>
          <LinkProgress printers={[printer]} printerId={printer.id} />
          {linking ? null : (
            <div>
              <button
                ref={startButton}
                type="button"
                disabled={session.phase === 'starting'}
                onClick={() => void start([printer.id])}
              >
                {t('linking.start')}
              </button>
            </div>
          )}
          <LinkCodeForm printerId={printer.id} linking={linking} />
        </>
      )}
    </section>
  );
}
