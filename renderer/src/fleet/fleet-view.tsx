import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual';
import { useId, useRef, useState, type KeyboardEvent } from 'react';

import { useFleet } from '../hooks/use-fleet.js';
import { useFleetOrder } from '../hooks/use-fleet-order.js';
import { useI18n } from '../i18n/i18n-context.js';
import { ErrorMessage } from '../app/error-message.js';
import { FleetRow } from './fleet-row.js';
import { FleetToolbar } from './fleet-toolbar.js';
import { targetRow } from './grid-keys.js';

const ROW_HEIGHT = 76;

export interface FleetViewProps {
  onOpen: (printerId: string) => void;
}

/**
 * Lists every printer in a virtualised grid, so that hundreds of rows scroll smoothly. The grid
 * is one Tab stop: it keeps DOM focus and points `aria-activedescendant` at the active row,
 * which the arrow, Page and Home/End keys move and scroll into view, and Enter opens.
 */
export function FleetView(props: FleetViewProps) {
  const { t } = useI18n();
  const fleet = useFleet();
  const order = useFleetOrder(fleet.printers);
  const scroller = useRef<HTMLDivElement>(null);
  const rowIdPrefix = useId();
  const [activeId, setActiveId] = useState<string | null>(null);
  const found = order.visible.findIndex((printer) => printer.id === activeId);
  const activeIndex = Math.max(0, found);
  const active = order.visible[activeIndex];
  // The build does not run the React Compiler, so its memoization warning does not apply.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: order.visible.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
    rangeExtractor: (range) => withRow(range, activeIndex),
  });

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.target !== event.currentTarget) return;
    if (event.key === 'Enter') {
      if (active) props.onOpen(active.id);
      return;
    }
    const pageSize = Math.floor((scroller.current?.clientHeight ?? 0) / ROW_HEIGHT);
    const next = targetRow(event.key, activeIndex, order.visible.length, pageSize);
    if (next === undefined) return;
    event.preventDefault();
    setActiveId(order.visible[next]?.id ?? null);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };

  return (
    <section className="fleet-view" aria-labelledby="fleet-heading">
      <div className="view-header">
        <h1 id="fleet-heading">{t('fleet.heading')}</h1>
        <span className="muted" aria-live="polite">
          {t('fleet.count', { shown: order.visible.length, total: fleet.printers.length })}
        </span>
      </div>
      <FleetToolbar
        text={order.text}
        onText={order.setText}
        phase={order.phase}
        onPhase={order.setPhase}
        sortKey={order.sortKey}
        onSortKey={order.setSortKey}
      />
      {fleet.error ? <ErrorMessage error={fleet.error} /> : null}
      {fleet.loading ? <p>{t('common.loading')}</p> : null}
      {!fleet.loading && fleet.printers.length === 0 ? <p>{t('fleet.empty')}</p> : null}
      {fleet.printers.length > 0 && order.visible.length === 0 ? <p>{t('fleet.noMatch')}</p> : null}
      <p id={`${rowIdPrefix}-hint`} className="visually-hidden">
        {t('fleet.gridHint')}
      </p>
      <div
        className="fleet-scroller"
        ref={scroller}
        role="grid"
        tabIndex={0}
        aria-labelledby="fleet-heading"
        aria-describedby={`${rowIdPrefix}-hint`}
        aria-rowcount={order.visible.length}
        aria-activedescendant={active ? `${rowIdPrefix}-${activeIndex}` : undefined}
        onKeyDown={onKeyDown}
      >
        <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const printer = order.visible[item.index];
            if (!printer) return null;
            return (
              <FleetRow
                key={printer.id}
                id={`${rowIdPrefix}-${item.index}`}
                rowIndex={item.index + 1}
                active={printer === active}
                style={{ height: item.size, transform: `translateY(${item.start}px)` }}
                printer={printer}
                onActivate={() => setActiveId(printer.id)}
                onOpen={props.onOpen}
              />
            );
          })}
        </div>
      </div>
    </section>
  );
}

/**
 * Returns the indexes to render: the visible ones plus overscan, and the active row, so that
 * `aria-activedescendant` points to a rendered row even after the user scrolls it out of view.
 */
function withRow(range: Range, index: number): number[] {
  const indexes = defaultRangeExtractor(range);
  if (index >= range.count || indexes.includes(index)) return indexes;
  return [...indexes, index].sort((a, b) => a - b);
}
