import type { PrinterSummary } from '../../../shared/control-api/printer-views.js';
import { liveRemainingSeconds } from '../fleet/fleet-row.js';
import { PhaseBadge } from '../fleet/phase-badge.js';
import { ProgressBar } from '../fleet/progress-bar.js';
import { useI18n } from '../i18n/i18n-context.js';
import { printerReason } from '../i18n/service-text.js';
import { formatDuration } from '../support/format.js';

/**
 * Renders the current job: name, progress, layers and remaining time. The remaining time shows
 * only while the job is printing and the printer is connected, because it does not count down
 * otherwise. The rest of a job whose printer is not connected shows dimmed.
 */
export function JobPanel(props: { printer: PrinterSummary }) {
  const { t, language } = useI18n();
  const { printer } = props;
  const job = printer.job;
  const layers = job?.layers;
  const remaining = liveRemainingSeconds(printer);
  return (
    <section className="card stack" aria-labelledby="job-heading">
      <h2 id="job-heading">{t('detail.job')}</h2>
      <p>
        <PhaseBadge phase={printer.phase} standby={printer.standby} />{' '}
        {job?.name ?? t('fleet.noJob')}
      </p>
      {printer.reason ? (
        <p className="muted">
          {t('detail.reason', { reason: printerReason(language, printer.reason) })}
        </p>
      ) : null}
      {job?.progressPercent === undefined ? null : (
        <div className="stack" data-stale={printer.staleReadings ? 'true' : undefined}>
          <ProgressBar
            value={job.progressPercent}
            label={t('fleet.progressLabel', { name: printer.name })}
          />
          <p>
            {Math.round(job.progressPercent)}%
            {remaining === undefined
              ? ''
              : ` · ${t('fleet.remaining', { time: formatDuration(t, remaining) })}`}
            {layers?.current === undefined
              ? ''
              : ` · ${t('detail.layers', { current: layers.current, total: layers.total ?? '?' })}`}
          </p>
        </div>
      )}
    </section>
  );
}
