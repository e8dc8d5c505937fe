import { useState } from 'react';

import { PrinterDetailView } from '../detail/printer-detail-view.js';
import { TemperatureHistoryProvider } from '../detail/temperature-history-context.js';
import { UpdateStatus } from '../desktop/update-status.js';
import { DiscoveryView } from '../discovery/discovery-view.js';
import { FleetView } from '../fleet/fleet-view.js';
import { useLanguageChoice } from '../hooks/use-language-choice.js';
import { useStoredLanguage } from '../hooks/use-stored-language.js';
import { LANGUAGE_NAMES, LANGUAGES, useI18n, type Language } from '../i18n/i18n-context.js';
import type { MessageKey } from '../i18n/en.js';
import { ClickToLinkProvider } from '../linking/click-to-link-context.js';
import { SettingsView } from '../settings/settings-view.js';
import { ConnectionBanner } from './connection-banner.js';
import { SettingsProblemBanner } from './settings-problem-banner.js';
import { FLEET_ROUTE, type Page, type Route } from './route.js';
import { useHashRoute } from './use-hash-route.js';

const PAGES: readonly { page: Page; label: MessageKey }[] = [
  { page: 'fleet', label: 'nav.fleet' },
  { page: 'discovery', label: 'nav.discovery' },
  { page: 'settings', label: 'nav.settings' },
];

/**
 * Renders the app shell: navigation, connection state and the current view. The route lives in
 * the location hash, where the desktop shell sets `#/printers/ID` to open a printer.
 */
export function App() {
  useStoredLanguage();
  const { route, navigate, replace } = useHashRoute();
  // The printer whose row takes focus when the fleet view shows again; the navigation bar's
  // buttons keep their own focus, so they clear it.
  const [returnFocusTo, setReturnFocusTo] = useState<string | null>(null);
  // Set when an address named a printer that the service does not have, until the next navigation.
  const [missingNotice, setMissingNotice] = useState(false);
  const { t } = useI18n();
  if (route.page === 'detail' && returnFocusTo !== route.printerId) {
    setReturnFocusTo(route.printerId);
  }
  const go = (next: Route) => {
    setMissingNotice(false);
    navigate(next);
  };
  return (
    <TemperatureHistoryProvider>
      <ClickToLinkProvider>
        <div className="app">
          <Navigation
            current={route.page}
            onNavigate={(page) => {
              setReturnFocusTo(null);
              go({ page });
            }}
          />
          <ConnectionBanner />
          <SettingsProblemBanner />
          <main className="content">
            {missingNotice && route.page === 'fleet' ? (
              <p className="notice" role="status">
                {t('detail.missing')}
              </p>
            ) : null}
            <CurrentView
              route={route}
              onRoute={go}
              onMissing={() => {
                setMissingNotice(true);
                replace(FLEET_ROUTE);
              }}
              returnFocusTo={returnFocusTo}
            />
          </main>
        </div>
      </ClickToLinkProvider>
    </TemperatureHistoryProvider>
  );
}

function CurrentView(props: {
  route: Route;
  onRoute: (route: Route) => void;
  onMissing: () => void;
  returnFocusTo: string | null;
}) {
  const { route, onRoute } = props;
  switch (route.page) {
    case 'fleet':
      return (
        <FleetView
          onOpen={(printerId) => onRoute({ page: 'detail', printerId })}
          onAddPrinters={() => onRoute({ page: 'discovery' })}
          returnFocusTo={props.returnFocusTo}
        />
      );
    case 'detail':
      return (
        <PrinterDetailView
          key={route.printerId}
          printerId={route.printerId}
          onBack={() => onRoute(FLEET_ROUTE)}
          onMissing={props.onMissing}
        />
      );
    case 'discovery':
      return <DiscoveryView />;
    case 'settings':
      return <SettingsView />;
  }
}

function Navigation(props: { current: Route['page']; onNavigate: (page: Page) => void }) {
  const { t } = useI18n();
  const { language, choose } = useLanguageChoice();
  return (
    <header className="topbar">
      <span className="brand">{t('app.title')}</span>
      <nav aria-label={t('app.title')}>
        {PAGES.map(({ page, label }) => (
          <button
            key={page}
            type="button"
            className="nav-button"
            aria-current={props.current === page ? 'page' : undefined}
            onClick={() => props.onNavigate(page)}
          >
            {t(label)}
          </button>
        ))}
      </nav>
      <UpdateStatus />
      <label className="language">
        <span className="visually-hidden">{t('language.label')}</span>
        <select value={language} onChange={(event) => choose(event.target.value as Language)}>
          {LANGUAGES.map((code) => (
            <option key={code} value={code} lang={code}>
              {LANGUAGE_NAMES[code]}
            </option>
          ))}
        </select>
      </label>
    </header>
  );
}
