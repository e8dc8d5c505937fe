import { useEffect, useRef } from 'react';

import { useI18n } from '../i18n/i18n-context.js';
import type { BusyPrinter } from './use-restart-to-update.js';

/**
 * Asks before a restart that interrupts the reports of printing printers, naming them. It opens as
 * a modal dialog with "Later" focused, so Enter or Escape never restart by accident.
 */
export function RestartConfirmation(props: {
  printers: readonly BusyPrinter[];
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t, language } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const later = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    later.current?.focus();
    return () => element?.close();
  }, []);

  const names = new Intl.ListFormat(language, { type: 'conjunction' }).format(
    props.printers.map((printer) => printer.name),
  );
  const key = props.printers.length === 1 ? 'update.confirmOne' : 'update.confirmMany';
  return (
    <dialog
      ref={dialog}
      className="card stack confirm-dialog"
      role="alertdialog"
      aria-labelledby="restart-title"
      aria-describedby="restart-body"
      onCancel={(event) => {
        // Escape closes through onCancel, so React state and the dialog stay in step.
        event.preventDefault();
        props.onCancel();
      }}
    >
      <h2 id="restart-title">{t('update.confirmTitle')}</h2>
      <div id="restart-body">
        <p>{t(key, { printers: names })}</p>
        <p className="muted">{t('update.confirmDetail')}</p>
      </div>
      <div className="row">
        <button type="button" className="primary" onClick={props.onConfirm}>
          {t('update.confirmRestart')}
        </button>
        <button ref={later} type="button" onClick={props.onCancel}>
          {t('update.confirmCancel')}
        </button>
      </div>
    </dialog>
  );
}
