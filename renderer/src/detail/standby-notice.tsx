import type { PrinterSummary } from '../../../shared/control-api/printer-views.js';
import { useI18n } from '../i18n/i18n-context.js';
import { probeFix, probeSummary } from '../i18n/service-text.js';
import { formatTime } from '../support/format.js';

/**
 * Renders what the latest probe found for a printer without a running bridge: its summary and
 * time, the fix, and the moonraker.conf lines that would let this computer in. Renders nothing
 * while a bridge runs or before the first probe finished.
 */
export function StandbyNotice(props: { printer: PrinterSummary }) {
  const { t, language } = useI18n();
  const { probe } = props.printer;
  if (!probe) return null;

  const snippet = probe.details?.['configSnippet'];
  const summary = probeSummary(language, probe);
  const fix = probeFix(language, probe);
  return (
    <div className="standby-notice" data-outcome={probe.outcome}>
      <p title={summary === probe.summary ? undefined : probe.summary}>
        {t('probe.last', { time: formatTime(probe.at, language), summary })}
      </p>
      {fix ? <p className="hint">{t('health.fix', { fix })}</p> : null}
      {props.printer.standby === 'needs_api_key' ? (
        <p className="muted">{t('probe.apiKeyHint')}</p>
      ) : null}
      {typeof snippet === 'string' ? <pre>{snippet}</pre> : null}
    </div>
  );
}
