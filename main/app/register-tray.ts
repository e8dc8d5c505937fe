import { join } from 'node:path';

import {
  Menu,
  Tray,
  app,
  nativeImage,
  nativeTheme,
  type MenuItemConstructorOptions,
} from 'electron';

import { assertNever } from '../support/coded-error.js';
import { DisposableStore, toDisposable, type Disposable } from '../support/disposable.js';
import type { AppContext } from './app-context.js';
import { updateSettings } from './apply-settings.js';
import { buildTrayModel, type TrayAction, type TrayMenuItem } from './logic/tray-model.js';
import type { UpdateController } from './logic/update-controller.js';
import type { AppWindow } from './register-window.js';

/**
 * Registers the tray icon and menu, rebuilt from the pure tray model on every printer, update or
 * settings change.
 */
export function registerTray(
  context: AppContext,
  window: AppWindow,
  updates: UpdateController,
): Disposable {
  const tray = new Tray(nativeImage.createEmpty());
  const disposables = new DisposableStore();
  disposables.add(toDisposable(() => tray.destroy()));

  const run = (action: TrayAction): void => {
    perform(action, context, window, updates).catch((error: unknown) =>
      context.logger.warn({ err: error, action: action.kind }, 'A tray menu action failed'),
    );
  };
  function refresh(): void {
    if (tray.isDestroyed()) return;
    const model = buildTrayModel({
      printers: context.snapshot.printers,
      theme: nativeTheme.shouldUseDarkColors ? 'dark' : 'light',
      startAtLogin: context.snapshot.settings.startAtLogin,
      update: updates.state,
      strings: context.strings(),
    });
    tray.setImage(nativeImage.createFromPath(join(context.resourcesRoot, `${model.iconName}.png`)));
    tray.setToolTip(model.tooltip);
    tray.setContextMenu(Menu.buildFromTemplate(model.menu.map((item) => toMenuItem(item, run))));
  }

  tray.on('click', () => window.show());
  nativeTheme.on('updated', refresh);
  disposables.add(toDisposable(() => nativeTheme.off('updated', refresh)));
  disposables.add(
    context.service.onEvent((event, data) => {
      if (context.snapshot.apply(event, data)) refresh();
    }),
  );
  disposables.add(toDisposable(updates.onChange(refresh)));
  // The language and the login item can change in the window as well as in the menu.
  disposables.add(context.settingsChanged.add(refresh));
  refresh();
  return disposables;
}

function toMenuItem(
  item: TrayMenuItem,
  run: (action: TrayAction) => void,
): MenuItemConstructorOptions {
  switch (item.type) {
    case 'separator':
      return { type: 'separator' };
    case 'checkbox':
      return {
        type: 'checkbox',
        label: item.label,
        checked: item.checked,
        click: () => run(item.action),
      };
    case 'item': {
      const { action } = item;
      return {
        label: item.label,
        enabled: item.enabled,
        ...(action ? { click: () => run(action) } : {}),
      };
    }
    default:
      return assertNever(item, 'tray menu item');
  }
}

async function perform(
  action: TrayAction,
  context: AppContext,
  window: AppWindow,
  updates: UpdateController,
): Promise<void> {
  switch (action.kind) {
    case 'open':
      return window.show();
    case 'open-printer':
      return window.show(`#/printers/${encodeURIComponent(action.printerId)}`);
    case 'toggle-start-at-login':
      // updateSettings emits settingsChanged, whose listener above rebuilds the menu.
      await updateSettings(context, { startAtLogin: !context.snapshot.settings.startAtLogin });
      return;
    case 'check-for-updates':
      await updates.check();
      return;
    case 'restart-to-update':
      await updates.restart();
      return;
    case 'quit':
      return app.quit();
    default:
      return assertNever(action, 'tray action');
  }
}
