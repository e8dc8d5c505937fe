import type { PrinterDetail } from '../../../shared/control-api/printer-views.js';
import { useI18n } from '../i18n/i18n-context.js';
import { eventMessage, eventTitle } from '../i18n/service-text.js';
import { formatTime } from '../support/format.js';

/** Renders the printer's recent events, newest first, in the UI's language where it can. */
export function EventsTimeline(props: { events: PrinterDetail['recentEvents'] }) {
  const { t, language } = useI18n();
  const events = [...props.events].sort((a, b) => b.at - a.at);
  return (
    <section className="card" aria-labelledby="events-heading">
      <h2 id="events-heading">{t('detail.events')}</h2>
      {events.length === 0 ? <p className="muted">{t('detail.noEvents')}</p> : null}
      <ol className="timeline">
        {events.map((event, index) => (
          <li key={`${event.at}-${event.name}-${index}`} data-severity={event.severity}>
            <time>{formatTime(event.at, language)}</time>{' '}
            <strong>{eventTitle(language, event)}</strong> {eventMessage(language, event)}
          </li>
        ))}
      </ol>
    </section>
  );
}
