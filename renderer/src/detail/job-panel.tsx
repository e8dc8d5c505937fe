import type { PrinterSummary } from '../../../shared/control-api/printer-views.js';
import { PhaseBadge } from '../fleet/phase-badge.js';
import { ProgressBar } from '../fleet/progress-bar.js';
import { useI18n } from '../i18n/i18n-context.js';
import { formatDuration } from '../support/format.js';

/** Renders the current job: name, progress, layers and remaining time. */
export function JobPanel(props: { printer: PrinterSummary }) {
  const { t } = useI18n();
  const { printer } = props;
  const job = printer.job;
  const layers = job?.layers;
  return (
    <section className="card stack" aria-labelledby="job-heading">
      <h2 id="job-heading">{t('detail.job')}</h2>
      <p>
        <PhaseBadge phase={printer.phase} standby={printer.standby} />{' '}
        {job?.name ?? t('fleet.noJob')}
      </p>
      {printer.reason ? (
        <p className="muted">{t('detail.reason', { reason: printer.reason })}</p>
      ) : null}
      {job?.progressPercent === undefined ? null : (
        <>
          <ProgressBar
            value={job.progressPercent}
            label={t('fleet.progressLabel', { name: printer.name })}
          />
          <p>
            {Math.round(job.progressPercent)}%
            {job.remainingSeconds === undefined
              ? ''
              : ` · ${t('fleet.remaining', { time: formatDuration(job.remainingSeconds) })}`}
            {layers?.current === undefined
              ? ''
              : ` · ${t('detail.layers', { current: layers.current, total: layers.total ?? '?' })}`}
          </p>
        </>
      )}
    </section>
  );
}
