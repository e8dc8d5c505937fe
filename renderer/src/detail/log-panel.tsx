import { usePrinterLogs } from '../hooks/use-logs.js';
import { useI18n } from '../i18n/i18n-context.js';
import { formatTime } from '../support/format.js';

/** Renders the printer's log lines, newest last. */
export function LogPanel(props: { printerId: string }) {
  const { t, language } = useI18n();
  const lines = usePrinterLogs(props.printerId);
  return (
    <section className="card" aria-labelledby="logs-heading">
      <h2 id="logs-heading">{t('detail.logs')}</h2>
      {lines.length === 0 ? <p className="muted">{t('detail.noLogs')}</p> : null}
      <ol className="log-lines" tabIndex={0} aria-label={t('detail.logs')}>
        {lines.map((line, index) => (
          <li key={`${line.at}-${index}`} data-level={line.level}>
            <time>{formatTime(line.at, language)}</time>{' '}
            <span className="log-level">{line.level}</span> {line.message}
          </li>
        ))}
      </ol>
    </section>
  );
}
