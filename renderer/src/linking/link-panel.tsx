import type { PrinterSummary } from '../../../shared/control-api/printer-views.js';
import { ErrorMessage } from '../app/error-message.js';
import { useUnlink } from '../hooks/use-unlink.js';
import { useI18n } from '../i18n/i18n-context.js';
import { useClickToLinkSession } from './click-to-link-context.js';
import { LinkCodeForm } from './link-code-form.js';
import { LinkProgress } from './link-progress.js';

/** Links one printer by click-to-link in the browser, or by a pasted code. */
export function LinkPanel(props: { printer: PrinterSummary }) {
  const { t } = useI18n();
  const { session, start } = useClickToLinkSession();
  const unlinking = useUnlink(props.printer.id);
  const { printer } = props;
  return (
    <section className="card" aria-labelledby={`link-${printer.id}`}>
      <h2 id={`link-${printer.id}`}>{t('linking.heading')}</h2>
      <p>
        <span className="link-state" data-link={printer.link}>
          {t(`link.${printer.link}`)}
        </span>
        {printer.deviceId ? (
          <span className="muted"> · {t('detail.device', { deviceId: printer.deviceId })}</span>
        ) : null}
      </p>
      {printer.link === 'linked' ? (
        <button type="button" disabled={unlinking.busy} onClick={() => void unlinking.unlink()}>
          {t('linking.unlink')}
        </button>
      ) : null}
      {unlinking.error ? <ErrorMessage error={unlinking.error} /> : null}
      {printer.link === 'linked' ? null : (
        <>
          <button
            type="button"
            disabled={session.phase === 'starting'}
            onClick={() => void start([printer.id])}
          >
            {t('linking.start')}
          </button>
          <LinkProgress printers={[printer]} printerId={printer.id} />
          <LinkCodeForm printerId={printer.id} printerName={printer.name} />
        </>
      )}
    </section>
  );
}
