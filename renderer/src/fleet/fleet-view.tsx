import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual';
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';

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
  /** Opens the page that adds printers, from the empty list. */
  onAddPrinters?: () => void;
  /**
   * The printer whose detail view the user came back from. Its row becomes the active one and
   * the grid takes focus, or the list's heading when the printer is gone and the list is empty.
   */
  returnFocusTo?: string | null;
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

  const heading = useRef<HTMLHeadingElement>(null);
  const focusReturned = useRef(false);
  const { returnFocusTo } = props;
  useEffect(() => {
    if (!returnFocusTo || fleet.loading || focusReturned.current) return;
    focusReturned.current = true;
    const index = order.visible.findIndex((printer) => printer.id === returnFocusTo);
    if (index >= 0) {
      setActiveId(returnFocusTo);
      virtualizer.scrollToIndex(index, { align: 'auto' });
    }
    if (scroller.current) scroller.current.focus();
    else heading.current?.focus();
  }, [returnFocusTo, fleet.loading, order.visible, virtualizer]);
  const empty = !fleet.loading && !fleet.error && fleet.printers.length === 0;

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
        <h1 id="fleet-heading" ref={heading} tabIndex={-1}>
          {t('fleet.heading')}
        </h1>
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
      {empty ? <EmptyFleet onAddPrinters={props.onAddPrinters} /> : null}
      {fleet.printers.length > 0 && order.visible.length === 0 ? <p>{t('fleet.noMatch')}</p> : null}
      {empty ? null : (
        <>
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
            <div
              role="rowgroup"
              style={{ height: virtualizer.getTotalSize(), position: 'relative' }}
            >
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
        </>
      )}
    </section>
  );
}

/** Renders the list of a fleet without printers: what to do first, and the way to do it. */
function EmptyFleet(props: { onAddPrinters: (() => void) | undefined }) {
  const { t } = useI18n();
  return (
    <div className="card empty-state">
      <h2>{t('fleet.empty')}</h2>
      <p className="muted">{t('fleet.emptyHint')}</p>
      {props.onAddPrinters ? (
        <button type="button" className="primary" onClick={props.onAddPrinters}>
          {t('fleet.addPrinters')}
        </button>
      ) : null}
    </div>
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
