import type { CSSProperties } from 'react';

import type { PrinterSummary } from '../../../shared/control-api/printer-views.js';
import { useI18n, type Translate } from '../i18n/i18n-context.js';
import { formatDuration, formatTemperature } from '../support/format.js';
import { HealthChain } from './health-chain.js';
import { PhaseBadge, phaseText } from './phase-badge.js';
import { ProgressBar } from './progress-bar.js';

export function nozzleOf(printer: PrinterSummary) {
  return printer.temperatures.find((sensor) => sensor.name.startsWith('extruder'));
}

export function bedOf(printer: PrinterSummary) {
  return printer.temperatures.find((sensor) => sensor.name === 'heater_bed');
}

/** Returns the row's name for screen readers: the printer's name, state, link and health. */
export function rowLabel(t: Translate, printer: PrinterSummary): string {
  const values = {
    name: printer.name,
    status: phaseText(t, printer.phase, printer.standby),
    link: t(`link.${printer.link}`),
    health: t(`health.level.${printer.overall}`),
  };
  return t(printer.enabled ? 'fleet.rowLabel' : 'fleet.rowLabelDisabled', values);
}

export interface FleetRowProps {
  printer: PrinterSummary;
  /** Element id that the grid's `aria-activedescendant` points to. */
  id: string;
  /** Position of the row in the whole list, from 1, for `aria-rowindex`. */
  rowIndex: number;
  active: boolean;
  style: CSSProperties;
  onActivate: () => void;
  onOpen: (printerId: string) => void;
}

/**
 * Renders one printer of the fleet grid: status, job, temperatures, health and link state. Its
 * controls are out of the Tab order, because the grid is one Tab stop and Enter opens the row.
 */
export function FleetRow(props: FleetRowProps) {
  const { t } = useI18n();
  const { printer } = props;
  const nozzle = nozzleOf(printer);
  const bed = bedOf(printer);
  const progress = printer.job?.progressPercent;
  const remaining = printer.job?.remainingSeconds;
  const jobName = printer.job?.name ?? t('fleet.noJob');
  return (
    <div
      id={props.id}
      className="fleet-slot"
      role="row"
      aria-rowindex={props.rowIndex}
      aria-label={rowLabel(t, printer)}
      data-active={props.active ? 'true' : undefined}
      style={props.style}
      onMouseDown={props.onActivate}
    >
      <div className="fleet-row" data-overall={printer.overall} data-enabled={printer.enabled}>
        <div className="fleet-name" role="gridcell">
          <button
            type="button"
            className="link-button"
            tabIndex={-1}
            title={printer.name}
            aria-label={t('fleet.openDetail', { name: printer.name })}
            onClick={() => props.onOpen(printer.id)}
          >
            {printer.name}
          </button>
          <span className="muted" title={printer.moonrakerUrl}>
            {printer.moonrakerUrl}
          </span>
        </div>
        <div className="fleet-status" role="gridcell">
          {printer.enabled ? null : <span className="disabled-badge">{t('fleet.disabled')}</span>}
          <PhaseBadge phase={printer.phase} standby={printer.standby} />
          <span className="link-state" data-link={printer.link}>
            {t(`link.${printer.link}`)}
          </span>
        </div>
        <div className="fleet-job" role="gridcell">
          <span className="truncate" title={jobName}>
            {jobName}
          </span>
          {progress === undefined ? null : (
            <ProgressBar
              value={progress}
              label={t('fleet.progressLabel', { name: printer.name })}
            />
          )}
          <span className="muted">
            {progress === undefined ? '' : `${Math.round(progress)}%`}
            {remaining === undefined
              ? ''
              : ` · ${t('fleet.remaining', { time: formatDuration(remaining) })}`}
          </span>
        </div>
        <div className="fleet-temps" role="gridcell">
          <span>
            {t('fleet.nozzle')} {formatTemperature(nozzle?.value, nozzle?.target)}
          </span>
          <span>
            {t('fleet.bed')} {formatTemperature(bed?.value, bed?.target)}
          </span>
        </div>
        <div role="gridcell">
          <HealthChain health={printer.health} printerName={printer.name} focusable={false} />
        </div>
      </div>
    </div>
  );
}
