import { useState } from 'react';

import type {
  DiscoveredPrinter,
  PrinterSummary,
} from '../../../shared/control-api/printer-views.js';
import { ErrorMessage } from '../app/error-message.js';
import { routeHash } from '../app/route.js';
import { useAddAndLink } from '../hooks/use-add-and-link.js';
import { useDiscovery } from '../hooks/use-discovery.js';
import { useI18n } from '../i18n/i18n-context.js';
import { useClickToLinkSession } from '../linking/click-to-link-context.js';

/**
 * Lists printers found by mDNS or a sweep, to select several and add and link them at once. A
 * printer of the fleet that is linked or linking cannot be selected; it offers to open it.
 */
export function DiscoveredList(props: { printers: readonly PrinterSummary[] }) {
  const { t } = useI18n();
  const discovery = useDiscovery();
  const { start } = useClickToLinkSession();
  const adding = useAddAndLink(start);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());

  const fleetPrinterOf = (found: DiscoveredPrinter) =>
    found.printerId === undefined
      ? undefined
      : props.printers.find((printer) => printer.id === found.printerId);
  const toggle = (key: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (!next.delete(key)) next.add(key);
      return next;
    });
  // A selected printer that became linked meanwhile drops out of the action.
  const chosen = discovery.found.filter(
    (found) => selected.has(found.key) && isSelectable(fleetPrinterOf(found)),
  );

  return (
    <section className="card stack" aria-labelledby="found-heading">
      <div className="row">
        <h2 id="found-heading" className="grow">
          {t('discovery.found')}
        </h2>
        <button type="button" onClick={discovery.refresh}>
          {t('discovery.refresh')}
        </button>
      </div>
      {discovery.error ? <ErrorMessage error={discovery.error} /> : null}
      {discovery.found.length === 0 ? <p className="muted">{t('discovery.none')}</p> : null}
      <ul className="plain-list" aria-live="polite">
        {discovery.found.map((found) => (
          <DiscoveredItem
            key={found.key}
            found={found}
            fleetPrinter={fleetPrinterOf(found)}
            checked={selected.has(found.key)}
            onToggle={() => toggle(found.key)}
          />
        ))}
      </ul>
      <div>
        <button
          type="button"
          disabled={chosen.length === 0 || adding.busy}
          onClick={() => {
            void adding.addAndLink(chosen).then(() => setSelected(new Set()));
          }}
        >
          {adding.busy
            ? t('discovery.adding')
            : t('discovery.addSelected', { count: chosen.length })}
        </button>
      </div>
      {adding.failures.map((failure) => (
        <p key={failure.host} className="error-text" role="alert">
          {t('discovery.addFailed', { host: failure.host, message: failure.message })}
        </p>
      ))}
    </section>
  );
}

/** Checks whether a discovered printer may be ticked: not in the fleet, or in it and unlinked. */
function isSelectable(fleetPrinter: PrinterSummary | undefined): boolean {
  return fleetPrinter === undefined || fleetPrinter.link === 'unlinked';
}

function DiscoveredItem(props: {
  found: DiscoveredPrinter;
  /** The fleet's printer at this address, once it was added. */
  fleetPrinter: PrinterSummary | undefined;
  checked: boolean;
  onToggle: () => void;
}) {
  const { t } = useI18n();
  const { found, fleetPrinter } = props;
  const address = `${found.host}:${found.port}`;
  const inFleet = found.printerId !== undefined;
  const selectable = isSelectable(fleetPrinter);
  return (
    <li className="discovered" data-state={found.state}>
      <div className="row">
        <label className="row grow">
          <input
            type="checkbox"
            checked={selectable && props.checked}
            disabled={!selectable}
            onChange={props.onToggle}
            aria-label={t('discovery.select', { host: address })}
          />
          <span className="grow">
            <strong>{found.hostname ?? found.host}</strong> <span className="muted">{address}</span>
          </span>
          <span className="phase-badge" data-state={found.state}>
            {t(`discovery.state.${found.state}`)}
          </span>
        </label>
        {fleetPrinter && fleetPrinter.link !== 'unlinked' ? (
          <span className="link-state" data-link={fleetPrinter.link}>
            {t(`link.${fleetPrinter.link}`)}
          </span>
        ) : null}
        {inFleet && (!fleetPrinter || fleetPrinter.link === 'unlinked') ? (
          <span className="muted">{t('discovery.inFleet')}</span>
        ) : null}
        {fleetPrinter ? (
          <a href={routeHash({ page: 'detail', printerId: fleetPrinter.id })}>
            {t('discovery.open', { name: fleetPrinter.name })}
          </a>
        ) : null}
      </div>
      {found.duplicateOf ? (
        <p className="muted">{t('discovery.duplicateOf', { key: found.duplicateOf })}</p>
      ) : null}
      {found.hint ? <p className="hint">{found.hint}</p> : null}
    </li>
  );
}
