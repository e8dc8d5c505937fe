import { useMemo, useState } from 'react';

import type { PrinterSummary } from '../../../shared/control-api/printer-views.js';
import { orderFleet, type PhaseFilter, type SortKey } from '../fleet/fleet-order.js';

/** Sort key and filters of the fleet view, with the printers they select. */
export function useFleetOrder(printers: readonly PrinterSummary[]) {
  const [sortKey, setSortKey] = useState<SortKey>('name');
  const [text, setText] = useState('');
  const [phase, setPhase] = useState<PhaseFilter>('all');
  const visible = useMemo(
    () => orderFleet(printers, { sortKey, text, phase }),
    [printers, sortKey, text, phase],
  );
  return { sortKey, setSortKey, text, setText, phase, setPhase, visible };
}
