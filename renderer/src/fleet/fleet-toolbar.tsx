import { PRINTER_PHASES } from '../../../shared/contract/status.js';
import { useI18n, type Translate } from '../i18n/i18n-context.js';
import { SORT_KEYS, type PhaseFilter, type SortKey } from './fleet-order.js';

const PHASE_FILTERS: readonly PhaseFilter[] = ['all', ...PRINTER_PHASES, 'standby', 'unknown'];

export interface FleetToolbarProps {
  text: string;
  onText: (text: string) => void;
  phase: PhaseFilter;
  onPhase: (phase: PhaseFilter) => void;
  sortKey: SortKey;
  onSortKey: (key: SortKey) => void;
}

export function FleetToolbar(props: FleetToolbarProps) {
  const { t } = useI18n();
  return (
    <div className="toolbar">
      <label>
        {t('fleet.search')}
        <input
          type="search"
          value={props.text}
          placeholder={t('fleet.searchPlaceholder')}
          onChange={(event) => props.onText(event.target.value)}
        />
      </label>
      <label>
        {t('fleet.statusFilter')}
        <select
          value={props.phase}
          onChange={(event) => props.onPhase(event.target.value as PhaseFilter)}
        >
          {PHASE_FILTERS.map((phase) => (
            <option key={phase} value={phase}>
              {filterLabel(phase, t)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('fleet.sortBy')}
        <select
          value={props.sortKey}
          onChange={(event) => props.onSortKey(event.target.value as SortKey)}
        >
          {SORT_KEYS.map((key) => (
            <option key={key} value={key}>
              {t(`fleet.sort.${key}`)}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

function filterLabel(phase: PhaseFilter, t: Translate): string {
  if (phase === 'all') return t('fleet.allStatuses');
  if (phase === 'standby') return t('fleet.standbyStatus');
  return t(`phase.${phase}`);
}
