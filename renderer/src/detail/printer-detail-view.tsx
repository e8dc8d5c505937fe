import { useEffect, useRef } from 'react';

import { ErrorMessage } from '../app/error-message.js';
import { usePrinterDetail } from '../hooks/use-printer-detail.js';
import { useI18n } from '../i18n/i18n-context.js';
import { LinkPanel } from '../linking/link-panel.js';
import { CommandList } from './command-list.js';
import { EventsTimeline } from './events-timeline.js';
import { HealthDetails } from './health-details.js';
import { JobPanel } from './job-panel.js';
import { LogPanel } from './log-panel.js';
import { PrinterSettingsPanel } from './printer-settings-panel.js';
import { StandbyNotice } from './standby-notice.js';
import { TelemetryRateControl } from './telemetry-rate-control.js';
import { TemperatureChart } from './temperature-chart.js';

/**
 * Renders one printer: job, rate, chart, health, linking, events, commands, settings and logs.
 * Its heading takes focus when the view opens, so keyboard and screen reader users start there.
 */
export function PrinterDetailView(props: {
  printerId: string;
  /** Returns to the fleet, also after the printer was removed from here. */
  onBack: () => void;
  /** Called when the service has no printer with this id, such as from a stale link. */
  onMissing?: () => void;
}) {
  const { t } = useI18n();
  const { detail, error, removed } = usePrinterDetail(props.printerId);
  const { onMissing } = props;
  // A malformed id, such as one longer than the service accepts, names no printer either.
  const missing =
    detail === null && (error?.code === 'not_found' || error?.code === 'invalid_arguments');
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, []);
  useEffect(() => {
    if (missing) onMissing?.();
  }, [missing, onMissing]);
  return (
    <section className="stack" aria-labelledby="detail-heading">
      <div className="row">
        <button type="button" onClick={props.onBack}>
          ← {t('nav.back')}
        </button>
        <h1 id="detail-heading" className="grow detail-heading" ref={heading} tabIndex={-1}>
          {detail?.name ?? shortId(props.printerId)}
        </h1>
      </div>
      {error ? <ErrorMessage error={error} /> : null}
      {removed ? <p role="status">{t('detail.removed')}</p> : null}
      {detail ? (
        <>
          <p className="muted">
            {t('detail.address')}: {detail.moonrakerUrl}
          </p>
          <StandbyNotice printer={detail} />
          <div className="detail-grid">
            <JobPanel printer={detail} />
            <TelemetryRateControl printer={detail} />
          </div>
          <TemperatureChart printer={detail} />
          <div className="detail-grid">
            <HealthDetails detail={detail} />
            <LinkPanel printer={detail} />
          </div>
          <div className="detail-grid">
            <EventsTimeline events={detail.recentEvents} />
            <CommandList commands={detail.commands} />
          </div>
          <PrinterSettingsPanel printer={detail} onRemoved={props.onBack} />
          <LogPanel printerId={detail.id} />
        </>
      ) : (
        <p>{t('common.loading')}</p>
      )}
    </section>
  );
}

/** Maximum length in characters of an id that the heading shows in full while the detail loads. */
const SHORT_ID_LENGTH = 24;

/** Returns the id for the heading, cut to 24 characters with an ellipsis, since the address sets it. */
function shortId(printerId: string): string {
  if (printerId.length <= SHORT_ID_LENGTH) return printerId;
  return `${printerId.slice(0, SHORT_ID_LENGTH - 1)}…`;
}
