import { useState } from 'react';

import type { DiscoveredPrinter } from '../../../shared/control-api/printer-views.js';
import { useAddAndLink } from '../hooks/use-add-and-link.js';
import { useDiscovery } from '../hooks/use-discovery.js';
import { useI18n } from '../i18n/i18n-context.js';
import { ErrorMessage } from '../app/error-message.js';
import { useClickToLinkSession } from '../linking/click-to-link-context.js';

/** Lists printers found by mDNS or a sweep, to select several and add and link them at once. */
export function DiscoveredList() {
  const { t } = useI18n();
  const discovery = useDiscovery();
  const { start } = useClickToLinkSession();
  const adding = useAddAndLink(start);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());

  const toggle = (key: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (!next.delete(key)) next.add(key);
      return next;
    });
  const chosen = discovery.found.filter((printer) => selected.has(printer.key));

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
        {discovery.found.map((printer) => (
          <DiscoveredItem
            key={printer.key}
            printer={printer}
            checked={selected.has(printer.key)}
            onToggle={() => toggle(printer.key)}
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

function DiscoveredItem(props: {
  printer: DiscoveredPrinter;
  checked: boolean;
  onToggle: () => void;
}) {
  const { t } = useI18n();
  const { printer } = props;
  const address = `${printer.host}:${printer.port}`;
  const linked = printer.printerId !== undefined;
  return (
    <li className="discovered" data-state={printer.state}>
      <label className="row">
        <input
          type="checkbox"
          checked={props.checked}
          onChange={props.onToggle}
          aria-label={t('discovery.select', { host: address })}
        />
        <span className="grow">
          <strong>{printer.hostname ?? printer.host}</strong>{' '}
          <span className="muted">{address}</span>
        </span>
        <span className="phase-badge" data-state={printer.state}>
          {t(`discovery.state.${printer.state}`)}
        </span>
        {linked ? <span className="muted">{t('discovery.inFleet')}</span> : null}
      </label>
      {printer.duplicateOf ? (
        <p className="muted">{t('discovery.duplicateOf', { key: printer.duplicateOf })}</p>
      ) : null}
      {printer.hint ? <p className="hint">{printer.hint}</p> : null}
    </li>
  );
}
