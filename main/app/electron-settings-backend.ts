import Store from 'electron-store';

import { StoreSettingsBackend } from './logic/store-settings-backend.js';

/** Settings in electron-store's `app-settings.json` in the user data folder. */
export function createElectronSettingsBackend(): StoreSettingsBackend {
  const store = new Store<Record<string, unknown>>({
    name: 'app-settings',
    clearInvalidConfig: false,
  });
  return new StoreSettingsBackend(store);
}
