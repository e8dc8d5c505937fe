import { useRef, useState } from 'react';

import type { PrinterSummary } from '../../../shared/control-api/printer-views.js';
import { ConfirmDialog } from '../app/confirm-dialog.js';
import { usePrinterAction } from '../hooks/use-printer-action.js';
import { useI18n } from '../i18n/i18n-context.js';

/** Phases in which a print is under way, so unlinking cuts off the cloud's view of it. */
const PRINTING_PHASES: ReadonlySet<string> = new Set(['Printing', 'Paused']);

/**
 * The "Unlink" button of a linked printer. It opens a confirmation dialog first, with "Keep
 * linked" focused, which states that Owl Cloud loses the printer's status and commands and that
 * linking again takes a new code. While the printer prints, the dialog also warns that Owl Cloud
 * stops receiving the print's progress.
 */
export function UnlinkButton(props: {
  printer: PrinterSummary;
  /** Called after a successful unlink, which removes this button once the summary changes. */
  onUnlinked?: () => void;
}) {
  const { t } = useI18n();
  const { printer } = props;
  const unlinking = usePrinterAction('link.unlink', printer.id);
  const [confirming, setConfirming] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  const printing = printer.phase !== undefined && PRINTING_PHASES.has(printer.phase);
  return (
    <div>
      <button ref={opener} type="button" onClick={() => setConfirming(true)}>
        {t('linking.unlink')}
      </button>
      {confirming ? (
        <ConfirmDialog
          titleId={`unlink-title-${printer.id}`}
          title={t('linking.unlinkTitle', { name: printer.name })}
          descriptionId={`unlink-body-${printer.id}`}
          confirmLabel={t('linking.unlink')}
          confirmClassName="danger"
          cancelLabel={t('linking.unlinkKeep')}
          busy={unlinking.busy}
          error={unlinking.error}
          returnFocusTo={opener}
          onConfirm={() => {
            void unlinking.run().then((unlinked) => {
              if (!unlinked) return;
              setConfirming(false);
              props.onUnlinked?.();
            });
          }}
          onCancel={() => {
            setConfirming(false);
            unlinking.reset();
          }}
        >
          <p>{t('linking.unlinkBody')}</p>
          {printing ? (
            <p className="warning-text">{t('linking.unlinkPrinting', { name: printer.name })}</p>
          ) : null}
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
