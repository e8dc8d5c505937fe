import { useRef, useState } from 'react';

import { ConfirmDialog } from '../app/confirm-dialog.js';
import { usePrinterAction } from '../hooks/use-printer-action.js';
import { useI18n } from '../i18n/i18n-context.js';

/**
 * The "Remove printer" button of the printer settings. It opens a modal confirmation that states
 * what removing does, with Cancel focused, and calls `onRemoved` once the service removed it.
 */
export function RemovePrinter(props: {
  printerId: string;
  printerName: string;
  /** Whether the printer is linked to Owl Cloud, which decides the text of the confirmation. */
  linked: boolean;
  onRemoved: () => void;
}) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const removal = usePrinterAction('printers.remove', props.printerId);
  const opener = useRef<HTMLButtonElement>(null);
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
        <ConfirmDialog
          titleId="remove-title"
          title={t('printer.removeConfirmTitle', { name: props.printerName })}
          descriptionId="remove-body"
          confirmLabel={removal.busy ? t('printer.removing') : t('printer.removeConfirm')}
          confirmClassName="danger"
          cancelLabel={t('common.cancel')}
          busy={removal.busy}
          error={removal.error}
          returnFocusTo={opener}
          onConfirm={() => {
            void removal.run().then((removed) => {
              if (removed) props.onRemoved();
            });
          }}
          onCancel={() => {
            setConfirming(false);
            removal.reset();
          }}
        >
          <p>
            {t(props.linked ? 'printer.removeConfirmText' : 'printer.removeConfirmTextUnlinked')}
          </p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
