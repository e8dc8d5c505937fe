import type { PrinterPhase } from '../../../shared/contract/status.js';
import type { StandbyState } from '../../../shared/control-api/printer-views.js';
import { useI18n, type Translate } from '../i18n/i18n-context.js';

/**
 * Renders the printer's phase as a badge, coloured by the CSS for its `data-phase`. A printer
 * without a running bridge has no phase, so its standby state from the latest probe takes the
 * badge's place, coloured by `data-standby`.
 */
export function PhaseBadge(props: {
  phase: PrinterPhase | undefined;
  standby?: StandbyState | undefined;
}) {
  const { t } = useI18n();
  if (props.phase === undefined && props.standby !== undefined) {
    return (
      <span className="phase-badge" data-standby={props.standby}>
        {t(`standby.${props.standby}`)}
      </span>
    );
  }
  const phase = props.phase ?? 'unknown';
  return (
    <span className="phase-badge" data-phase={phase}>
      {t(`phase.${phase}`)}
    </span>
  );
}

/** Returns the text of the badge that `PhaseBadge` renders for the same arguments. */
export function phaseText(
  t: Translate,
  phase: PrinterPhase | undefined,
  standby: StandbyState | undefined,
): string {
  if (phase === undefined && standby !== undefined) return t(`standby.${standby}`);
  return t(`phase.${phase ?? 'unknown'}`);
}
