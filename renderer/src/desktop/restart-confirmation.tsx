import { ConfirmDialog } from '../app/confirm-dialog.js';
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
  const names = new Intl.ListFormat(language, { type: 'conjunction' }).format(
    props.printers.map((printer) => printer.name),
  );
  const key = props.printers.length === 1 ? 'update.confirmOne' : 'update.confirmMany';
  return (
    <ConfirmDialog
      titleId="restart-title"
      title={t('update.confirmTitle')}
      descriptionId="restart-body"
      confirmLabel={t('update.confirmRestart')}
      confirmClassName="primary"
      cancelLabel={t('update.confirmCancel')}
      onConfirm={props.onConfirm}
      onCancel={props.onCancel}
    >
      <p>{t(key, { printers: names })}</p>
      <p className="muted">{t('update.confirmDetail')}</p>
    </ConfirmDialog>
  );
}
