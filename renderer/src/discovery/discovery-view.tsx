import { useFleet } from '../hooks/use-fleet.js';
import { useI18n } from '../i18n/i18n-context.js';
import { LinkProgress } from '../linking/link-progress.js';
import { AddByAddressForm } from './add-by-address-form.js';
import { DiscoveredList } from './discovered-list.js';
import { SweepPanel } from './sweep-panel.js';

/** Renders the ways to find and add printers: the discovered list, add by address, and a subnet sweep. */
export function DiscoveryView() {
  const { t } = useI18n();
  const fleet = useFleet();
  return (
    <section className="stack discovery-view" aria-labelledby="discovery-heading">
      <h1 id="discovery-heading">{t('discovery.heading')}</h1>
      <LinkProgress printers={fleet.printers} />
      <DiscoveredList printers={fleet.printers} />
      <AddByAddressForm />
      <SweepPanel />
    </section>
  );
}
