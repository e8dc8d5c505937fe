import type { PrinterDetail } from '../../../shared/control-api/printer-views.js';
import { useI18n } from '../i18n/i18n-context.js';
import { formatTime } from '../support/format.js';

/** Renders each link of the health chain with its summary and fix, and the recent level changes. */
export function HealthDetails(props: { detail: PrinterDetail }) {
  const { t, language } = useI18n();
  const { detail } = props;
  const timeline = [...detail.timeline].sort((a, b) => b.at - a.at).slice(0, 20);
  return (
    <section className="card stack" aria-labelledby="health-heading">
      <h2 id="health-heading">{t('detail.health')}</h2>
      <ol className="health-details">
        {detail.health.map((link) => (
          <li key={link.link} data-level={link.level}>
            <span className="health-dot" aria-hidden="true" />
            <strong>{t(`health.${link.link}`)}</strong>{' '}
            <span className="muted">{t(`health.level.${link.level}`)}</span> · {link.summary}
            {link.fix ? <p className="hint">{t('health.fix', { fix: link.fix })}</p> : null}
          </li>
        ))}
      </ol>
      {timeline.length > 0 ? (
        <ol className="timeline">
          {timeline.map((entry, index) => (
            <li key={`${entry.at}-${entry.link}-${index}`} data-level={entry.level}>
              <time>{formatTime(entry.at, language)}</time> {t(`health.${entry.link}`)}:{' '}
              {entry.summary}
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}
