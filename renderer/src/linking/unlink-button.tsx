import { useEffect, useRef, useState } from 'react';

import type { PrinterSummary } from '../../../shared/control-api/printer-views.js';
import { ErrorMessage } from '../app/error-message.js';
import { useUnlink } from '../hooks/use-unlink.js';
import { useI18n } from '../i18n/i18n-context.js';

/** Phases in which a print is under way, so unlinking cuts off the cloud's view of it. */
const PRINTING_PHASES: ReadonlySet<string> = new Set(['Printing', 'Paused']);

/**
 * The "Unlink" button of a linked printer. It opens a confirmation dialog first, with "Keep
 * linked" focused, which states that Owl Cloud loses the printer's status and commands and that
 * linking again takes a new code. While the printer prints, the dialog also warns that Owl Cloud
 * stops receiving the print's progress.
 */
export function UnlinkButton(props: { printer: PrinterSummary }) {
  const { t } = useI18n();
  const { printer } = props;
  const unlinking = useUnlink(printer.id);
  const [confirming, setConfirming] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  const close = () => {
    setConfirming(false);
    unlinking.reset();
    opener.current?.focus();
  };
  return (
    <div>
      <button ref={opener} type="button" onClick={() => setConfirming(true)}>
        {t('linking.unlink')}
      </button>
      {confirming ? (
        <UnlinkConfirmation
          printer={printer}
          busy={unlinking.busy}
          error={unlinking.error}
          onConfirm={() => {
            void unlinking.unlink().then((unlinked) => {
              if (unlinked) setConfirming(false);
            });
          }}
          onCancel={close}
        />
      ) : null}
    </div>
  );
}

function UnlinkConfirmation(props: {
  printer: PrinterSummary;
  busy: boolean;
  error: ReturnType<typeof useUnlink>['error'];
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const { printer } = props;
  const dialog = useRef<HTMLDialogElement>(null);
  const keep = useRef<HTMLButtonElement>(null);
  const printing = printer.phase !== undefined && PRINTING_PHASES.has(printer.phase);

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    keep.current?.focus();
    return () => element?.close();
  }, []);

  return (
    <dialog
      ref={dialog}
      className="card stack confirm-dialog"
      role="alertdialog"
      aria-labelledby={`unlink-title-${printer.id}`}
      aria-describedby={`unlink-body-${printer.id}`}
      onCancel={(event) => {
        // Escape closes through onCancel, so React state and the dialog stay in step.
        event.preventDefault();
        props.onCancel();
      }}
    >
      <h2 id={`unlink-title-${printer.id}`}>{t('linking.unlinkTitle', { name: printer.name })}</h2>
      <div id={`unlink-body-${printer.id}`}>
        <p>{t('linking.unlinkBody')}</p>
        {printing ? (
          <p className="warning-text">{t('linking.unlinkPrinting', { name: printer.name })}</p>
        ) : null}
      </div>
      {props.error ? <ErrorMessage error={props.error} /> : null}
      <div className="row">
        <button type="button" className="danger" disabled={props.busy} onClick={props.onConfirm}>
          {t('linking.unlink')}
        </button>
        <button ref={keep} type="button" disabled={props.busy} onClick={props.onCancel}>
          {t('linking.unlinkKeep')}
        </button>
      </div>
    </dialog>
  );
}
