import { useEffect, useRef, useState } from 'react';

import { ErrorMessage } from '../app/error-message.js';
import { useRemovePrinter } from '../hooks/use-remove-printer.js';
import { useI18n } from '../i18n/i18n-context.js';

/**
 * The "Remove printer" button of the printer settings. It asks first in a modal dialog that says
 * what removing does, with Cancel focused, and calls `onRemoved` once the service removed it.
 */
export function RemovePrinter(props: {
  printerId: string;
  printerName: string;
  /** Whether the printer is linked to Owl Cloud, which decides what the confirmation says. */
  linked: boolean;
  onRemoved: () => void;
}) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const removal = useRemovePrinter(props.printerId);
  const opener = useRef<HTMLButtonElement>(null);
  const close = () => {
    setConfirming(false);
    removal.reset();
    opener.current?.focus();
  };
  return (
    <div className="stack remove-printer">
      <div>
        <button
          ref={opener}
          type="button"
          className="danger"
          aria-describedby={`remove-hint-${props.printerId}`}
          onClick={() => setConfirming(true)}
        >
          {t('printer.remove')}
        </button>
      </div>
      <p id={`remove-hint-${props.printerId}`} className="muted">
        {t('printer.removeHint')}
      </p>
      {confirming ? (
        <RemoveConfirmation
          printerName={props.printerName}
          linked={props.linked}
          busy={removal.busy}
          error={removal.error}
          onConfirm={() => {
            void removal.remove().then((removed) => {
              if (removed) props.onRemoved();
            });
          }}
          onCancel={close}
        />
      ) : null}
    </div>
  );
}

function RemoveConfirmation(props: {
  printerName: string;
  linked: boolean;
  busy: boolean;
  error: ReturnType<typeof useRemovePrinter>['error'];
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    cancel.current?.focus();
    return () => element?.close();
  }, []);

  return (
    <dialog
      ref={dialog}
      className="card stack confirm-dialog"
      role="alertdialog"
      aria-labelledby="remove-title"
      aria-describedby="remove-body"
      onCancel={(event) => {
        // Escape closes through onCancel, so React state and the dialog stay in step.
        event.preventDefault();
        props.onCancel();
      }}
    >
      <h2 id="remove-title">{t('printer.removeConfirmTitle', { name: props.printerName })}</h2>
      <p id="remove-body">
        {t(props.linked ? 'printer.removeConfirmText' : 'printer.removeConfirmTextUnlinked')}
      </p>
      {props.error ? <ErrorMessage error={props.error} /> : null}
      <div className="row">
        <button type="button" className="danger" disabled={props.busy} onClick={props.onConfirm}>
          {props.busy ? t('printer.removing') : t('printer.removeConfirm')}
        </button>
        <button ref={cancel} type="button" disabled={props.busy} onClick={props.onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </dialog>
  );
}
