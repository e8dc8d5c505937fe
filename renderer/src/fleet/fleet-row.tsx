import type { CSSProperties } from 'react';

import type { PrinterSummary } from '../../../shared/control-api/printer-views.js';
import type { MessageKey } from '../i18n/en.js';
import { useI18n, type Translate } from '../i18n/i18n-context.js';
import { formatClock, formatDuration, formatTemperature } from '../support/format.js';
import { HealthChain } from './health-chain.js';
import { PhaseBadge, phaseText } from './phase-badge.js';
import { ProgressBar } from './progress-bar.js';

type Temperature = PrinterSummary['temperatures'][number];

export function nozzleOf(printer: PrinterSummary) {
  return printer.temperatures.find((sensor) => sensor.name.startsWith('extruder'));
}

export function bedOf(printer: PrinterSummary) {
  return printer.temperatures.find((sensor) => sensor.name === 'heater_bed');
}

/**
 * Returns the remaining time of a job that is printing right now. A paused job's estimate does
 * not count down, and the estimate of a printer that is not connected is the last one it sent.
 */
export function liveRemainingSeconds(printer: PrinterSummary): number | undefined {
  if (printer.phase !== 'Printing' || printer.staleReadings) return undefined;
  return printer.job?.remainingSeconds;
}

/** Returns "last seen 22:05" for readings that are not current, or undefined for live ones. */
export function staleNote(t: Translate, printer: PrinterSummary, locale: string) {
  const stale = printer.staleReadings;
  if (!stale) return undefined;
  return stale.lastSeenAt === undefined
    ? t('fleet.noReading')
    : t('fleet.lastSeen', { time: formatClock(stale.lastSeenAt, locale) });
}

function temperatureLabel(t: Translate, sensor: string, reading: Temperature | undefined) {
  if (reading?.value === null || reading?.value === undefined) return undefined;
  const value = Math.round(reading.value);
  return reading.target
    ? t('fleet.label.temperatureTarget', { sensor, value, target: Math.round(reading.target) })
    : t('fleet.label.temperature', { sensor, value });
}

/**
 * Returns the standby state that the row shows. "Ready to link" is left out while the printer
 * links, because the link state "Linking" is more specific and the two would read as a contradiction.
 */
function shownStandby(printer: PrinterSummary): PrinterSummary['standby'] {
  return printer.link === 'linking' && printer.standby === 'ready_to_link'
    ? undefined
    : printer.standby;
}

/** Returns the key of the row name's first part, which leaves out a status the row hides. */
function rowLabelKey(printer: PrinterSummary, standby: PrinterSummary['standby']): MessageKey {
  if (hidesStatus(printer, standby)) {
    return printer.enabled ? 'fleet.rowLabelNoStatus' : 'fleet.rowLabelDisabledNoStatus';
  }
  return printer.enabled ? 'fleet.rowLabel' : 'fleet.rowLabelDisabled';
}

/** Returns whether the row shows no status badge, as for a linking printer without a phase. */
function hidesStatus(printer: PrinterSummary, standby: PrinterSummary['standby']): boolean {
  return printer.phase === undefined && standby === undefined && printer.link === 'linking';
}

/**
 * Returns the row's name for screen readers, which hear it through `aria-activedescendant`: the
 * printer's name, state, link and health, then its job, progress, remaining time and
 * temperatures, the temperatures marked when they are not current.
 */
export function rowLabel(t: Translate, printer: PrinterSummary, locale: string): string {
  const standby = shownStandby(printer);
  const values = {
    name: printer.name,
    status: phaseText(t, printer.phase, standby),
    link: t(`link.${printer.link}`),
    health: t(`health.level.${printer.overall}`),
  };
  const progress = printer.job?.progressPercent;
  const remaining = liveRemainingSeconds(printer);
  const parts = [
    t(rowLabelKey(printer, standby), values),
    printer.job?.name ? t('fleet.label.job', { name: printer.job.name }) : undefined,
    progress === undefined
      ? undefined
      : t('fleet.label.progress', { percent: Math.round(progress) }),
    remaining === undefined
      ? undefined
      : t('fleet.remaining', { time: formatDuration(t, remaining) }),
    temperatureLabel(t, t('fleet.nozzle'), nozzleOf(printer)),
    temperatureLabel(t, t('fleet.bed'), bedOf(printer)),
    staleNote(t, printer, locale),
  ];
  return parts.filter((part) => part !== undefined).join(t('common.listSeparator'));
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
 * Temperatures that are not current show dimmed with the time of the last reading.
 */
export function FleetRow(props: FleetRowProps) {
  const { t, language } = useI18n();
  const { printer } = props;
  const nozzle = nozzleOf(printer);
  const bed = bedOf(printer);
  const progress = printer.job?.progressPercent;
  const remaining = liveRemainingSeconds(printer);
  const jobName = printer.job?.name ?? t('fleet.noJob');
  const stale = staleNote(t, printer, language);
  const standby = shownStandby(printer);
  return (
    <div
      id={props.id}
      className="fleet-slot"
      role="row"
      aria-rowindex={props.rowIndex}
      aria-label={rowLabel(t, printer, language)}
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
          {hidesStatus(printer, standby) ? null : (
            <PhaseBadge phase={printer.phase} standby={standby} />
          )}
          <span className="link-state" data-link={printer.link}>
            {t(`link.${printer.link}`)}
          </span>
        </div>
        <div className="fleet-job" role="gridcell" data-stale={stale ? 'true' : undefined}>
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
              : ` · ${t('fleet.remaining', { time: formatDuration(t, remaining) })}`}
          </span>
        </div>
        <div className="fleet-temps" role="gridcell" data-stale={stale ? 'true' : undefined}>
          <span className="fleet-reading">
            {t('fleet.nozzle')} {formatTemperature(nozzle?.value, nozzle?.target)}
          </span>
          <span className="fleet-reading">
            {t('fleet.bed')} {formatTemperature(bed?.value, bed?.target)}
          </span>
          {stale ? <span className="fleet-stale">{stale}</span> : null}
        </div>
        <div role="gridcell">
          <HealthChain
            health={printer.health}
            printer={printer}
            printerName={printer.name}
            focusable={false}
          />
        </div>
      </div>
    </div>
  );
}
