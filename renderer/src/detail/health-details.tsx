import type { PrinterDetail } from '../../../shared/control-api/printer-views.js';
import { useI18n } from '../i18n/i18n-context.js';
import { healthFix, healthSummary } from '../i18n/service-text.js';
import { formatTime } from '../support/format.js';

/**
 * Renders each link of the health chain with its summary and fix, and the recent level changes.
 * A translated summary keeps the service's English one as its tooltip, for the details (such as
 * an address) that a translation by code leaves out.
 */
export function HealthDetails(props: { detail: PrinterDetail }) {
  const { t, language } = useI18n();
  const { detail } = props;
  const timeline = [...detail.timeline].sort((a, b) => b.at - a.at).slice(0, 20);
  return (
    <section className="card stack" aria-labelledby="health-heading">
      <h2 id="health-heading">{t('detail.health')}</h2>
      <ol className="health-details">
        {detail.health.map((link) => {
          const summary = healthSummary(language, link, detail);
          const fix = healthFix(language, link, detail);
          return (
            <li key={link.link} data-level={link.level}>
              <span className="health-dot" aria-hidden="true" />
              <strong>{t(`health.${link.link}`)}</strong>{' '}
              <span className="muted">{t(`health.level.${link.level}`)}</span> ·{' '}
              <span title={summary === link.summary ? undefined : link.summary}>{summary}</span>
              {fix ? <p className="hint">{t('health.fix', { fix })}</p> : null}
            </li>
          );
        })}
      </ol>
      {timeline.length > 0 ? (
        <ol className="timeline">
          {timeline.map((entry, index) => (
            <li key={`${entry.at}-${entry.link}-${index}`} data-level={entry.level}>
              <time>{formatTime(entry.at, language)}</time> {t(`health.${entry.link}`)}:{' '}
              {healthSummary(language, { ...entry, since: entry.at }, detail)}
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}
