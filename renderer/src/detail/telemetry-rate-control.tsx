import type { PrinterSummary } from '../../../shared/control-api/printer-views.js';
import {
  useTelemetryRate,
  WATCH_DURATIONS,
  WATCH_INTERVALS,
  type WatchInterval,
} from '../hooks/use-telemetry-rate.js';
import { useI18n } from '../i18n/i18n-context.js';
import { ErrorMessage } from '../app/error-message.js';
import { formatTime } from '../support/format.js';

/**
 * Shows the current telemetry mode and switches between idle and a timed watch. Only a linked
 * printer sends telemetry, so the buttons stay disabled until the printer is linked.
 */
export function TelemetryRateControl(props: { printer: PrinterSummary }) {
  const { t, language } = useI18n();
  const rate = useTelemetryRate(props.printer.id);
  const { telemetry } = props.printer;
  const linked = props.printer.link === 'linked';
  const hintId = `rate-hint-${props.printer.id}`;
  const expires = telemetry.watchWindowExpires
    ? formatTime(Date.parse(telemetry.watchWindowExpires), language)
    : null;
  return (
    <section className="card stack" aria-labelledby="rate-heading">
      <h2 id="rate-heading">{t('rate.heading')}</h2>
      <p aria-live="polite" data-testid="rate-current">
        {t('rate.current', {
          mode: t(`rate.mode.${telemetry.mode}`),
          interval: telemetry.intervalSeconds,
        })}
        {expires ? ` ${t('rate.expires', { time: expires })}` : null}
      </p>
      <div className="row">
        <label>
          {t('rate.duration')}
          <select
            value={rate.durationSeconds}
            onChange={(event) => rate.setDurationSeconds(Number(event.target.value))}
          >
            {WATCH_DURATIONS.map((seconds) => (
              <option key={seconds} value={seconds}>
                {t('rate.minutes', { count: seconds / 60 })}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('rate.interval')}
          <select
            value={rate.intervalSeconds}
            onChange={(event) =>
              rate.setIntervalSeconds(Number(event.target.value) as WatchInterval)
            }
          >
            {WATCH_INTERVALS.map((seconds) => (
              <option key={seconds} value={seconds}>
                {t('rate.seconds', { count: seconds })}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          disabled={rate.busy || !linked}
          aria-describedby={linked ? undefined : hintId}
          onClick={() => void rate.watch()}
        >
          {t('rate.watch')}
        </button>
        <button
          type="button"
          disabled={rate.busy || !linked || telemetry.mode === 'idle'}
          onClick={() => void rate.idle()}
        >
          {t('rate.idle')}
        </button>
      </div>
      {linked ? null : (
        <p id={hintId} className="hint">
          {t('rate.notLinked')}
        </p>
      )}
      {rate.applied ? (
        <p role="status" data-testid="rate-applied">
          {t('rate.applied', {
            mode: t(`rate.mode.${rate.applied.mode}`),
            interval: rate.applied.intervalSeconds,
          })}
        </p>
      ) : null}
      {rate.error ? <ErrorMessage error={rate.error} /> : null}
    </section>
  );
}
