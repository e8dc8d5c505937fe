import type { PrinterPhase } from '../../../shared/contract/status.js';
import { useI18n } from '../i18n/i18n-context.js';

/** Renders the printer's phase as a badge, coloured by the CSS for its `data-phase`. */
export function PhaseBadge(props: { phase: PrinterPhase | undefined }) {
  const { t } = useI18n();
  const phase = props.phase ?? 'unknown';
  return (
    <span className="phase-badge" data-phase={phase}>
      {t(`phase.${phase}`)}
    </span>
  );
}
