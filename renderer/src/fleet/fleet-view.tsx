import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';

import { useFleet } from '../hooks/use-fleet.js';
import { useFleetOrder } from '../hooks/use-fleet-order.js';
import { useI18n } from '../i18n/i18n-context.js';
import { ErrorMessage } from '../app/error-message.js';
import { FleetRow } from './fleet-row.js';
import { FleetToolbar } from './fleet-toolbar.js';

const ROW_HEIGHT = 76;

export interface FleetViewProps {
  onOpen: (printerId: string) => void;
}

/** Lists every printer in a virtualised list, so that hundreds of rows scroll smoothly. */
export function FleetView(props: FleetViewProps) {
  const { t } = useI18n();
  const fleet = useFleet();
  const order = useFleetOrder(fleet.printers);
  const scroller = useRef<HTMLDivElement>(null);
  // The build does not run the React Compiler, so its memoization warning does not apply.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: order.visible.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
  });

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
      <div className="fleet-scroller" ref={scroller}>
        <div role="list" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const printer = order.visible[item.index];
            if (!printer) return null;
            return (
              <div
                key={printer.id}
                className="fleet-slot"
                role="listitem"
                style={{ height: item.size, transform: `translateY(${item.start}px)` }}
              >
                <FleetRow printer={printer} onOpen={props.onOpen} />
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
