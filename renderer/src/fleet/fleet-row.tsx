import type { PrinterSummary } from '../../../shared/control-api/printer-views.js';
import { useI18n } from '../i18n/i18n-context.js';
import { formatDuration, formatTemperature } from '../support/format.js';
import { HealthChain } from './health-chain.js';
import { PhaseBadge } from './phase-badge.js';
import { ProgressBar } from './progress-bar.js';

export function nozzleOf(printer: PrinterSummary) {
  return printer.temperatures.find((sensor) => sensor.name.startsWith('extruder'));
}

export function bedOf(printer: PrinterSummary) {
  return printer.temperatures.find((sensor) => sensor.name === 'heater_bed');
}

/** Renders one printer of the fleet list: status, job, temperatures, health and link state. */
export function FleetRow(props: { printer: PrinterSummary; onOpen: (printerId: string) => void }) {
  const { t } = useI18n();
  const { printer } = props;
  const nozzle = nozzleOf(printer);
  const bed = bedOf(printer);
  const progress = printer.job?.progressPercent;
  const remaining = printer.job?.remainingSeconds;
  return (
    <div className="fleet-row" data-overall={printer.overall}>
      <div className="fleet-name">
        <button
          type="button"
          className="link-button"
          aria-label={t('fleet.openDetail', { name: printer.name })}
          onClick={() => props.onOpen(printer.id)}
        >
          {printer.name}
        </button>
        <span className="muted">{printer.moonrakerUrl}</span>
      </div>
      <div className="fleet-status">
        <PhaseBadge phase={printer.phase} standby={printer.standby} />
        <span className="link-state" data-link={printer.link}>
          {t(`link.${printer.link}`)}
        </span>
      </div>
      <div className="fleet-job">
        <span className="truncate">{printer.job?.name ?? t('fleet.noJob')}</span>
        {progress === undefined ? null : (
          <ProgressBar value={progress} label={t('fleet.progressLabel', { name: printer.name })} />
        )}
        <span className="muted">
          {progress === undefined ? '' : `${Math.round(progress)}%`}
          {remaining === undefined
            ? ''
            : ` · ${t('fleet.remaining', { time: formatDuration(remaining) })}`}
        </span>
      </div>
      <div className="fleet-temps">
        <span>
          {t('fleet.nozzle')} {formatTemperature(nozzle?.value, nozzle?.target)}
        </span>
        <span>
          {t('fleet.bed')} {formatTemperature(bed?.value, bed?.target)}
        </span>
      </div>
      <HealthChain health={printer.health} printerName={printer.name} />
    </div>
  );
}
