import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { BrowserWindow, screen, session, shell, type Rectangle } from 'electron';

import { writeFileAtomic } from '../support/atomic-file.js';
import type { Disposable } from '../support/disposable.js';
import type { Logger } from '../support/logger.js';
import { APP_PAGE_URL } from './logic/app-protocol.js';
import { isAppPage } from './logic/ipc-call-handler.js';
import { preloadArguments } from './logic/preload-arguments.js';
import {
  MIN_WINDOW_HEIGHT,
  MIN_WINDOW_WIDTH,
  parseWindowState,
  restoreBounds,
} from './logic/window-state.js';

export interface AppWindow extends Disposable {
  /** Shows the window (creating it after a real close), optionally at a route of the UI. */
  show(route?: string): void;
  current(): BrowserWindow | undefined;
}

export interface WindowOptions {
  userData: string;
  preloadPath: string;
  logger: Logger;
  quitting: { value: boolean };
}

/**
 * Registers the one app window: sandboxed, navigation and every permission denied, hidden to the
 * tray on close.
 */
export function registerWindow(options: WindowOptions): AppWindow {
  denyPermissions(options.logger);
  const statePath = join(options.userData, 'window-state.json');
  let window: BrowserWindow | undefined;

  const create = (): BrowserWindow => {
    const saved = parseWindowState(readOptional(statePath));
    const primary = screen.getPrimaryDisplay().workArea;
    const areas = screen.getAllDisplays().map((display) => display.workArea);
    const created = new BrowserWindow({
      ...restoreBounds(saved?.bounds, areas, primary),
      minWidth: MIN_WINDOW_WIDTH,
      minHeight: MIN_WINDOW_HEIGHT,
      show: false,
      title: 'Moonraker Owl',
      webPreferences: {
        preload: options.preloadPath,
        additionalArguments: preloadArguments(),
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        spellcheck: false,
      },
    });
    if (saved?.maximized) created.maximize();
    guardNavigation(created, options.logger);
    created.once('ready-to-show', () => created.show());
    created.on('close', (event) => {
      saveState(created, statePath, options.logger);
      if (options.quitting.value) return;
      event.preventDefault();
      created.hide();
    });
    created.on('closed', () => {
      window = undefined;
    });
    void created.loadURL(APP_PAGE_URL);
    return created;
  };

  return {
    show(route) {
      window ??= create();
      if (route)
        void window.webContents.executeJavaScript(`location.hash = ${JSON.stringify(route)}`);
      if (window.isMinimized()) window.restore();
      window.show();
      window.focus();
    },
    current: () => window,
    dispose() {
      window?.destroy();
      window = undefined;
    },
  };
}

/** Denies every navigation away from the app page; http(s) links open in the system browser. */
function guardNavigation(window: BrowserWindow, logger: Logger): void {
  const { webContents } = window;
  webContents.on('will-navigate', (event, url) => {
    if (isAppPage(url, APP_PAGE_URL)) return;
    event.preventDefault();
    logger.warn({ url }, 'Blocked a navigation away from the app page');
  });
  webContents.on('will-attach-webview', (event) => event.preventDefault());
  webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//i.test(url)) void shell.openExternal(url);
    else logger.warn({ url }, 'Blocked a window for a URL that is not http or https');
    return { action: 'deny' };
  });
}

function saveState(window: BrowserWindow, path: string, logger: Logger): void {
  const bounds: Rectangle = window.getNormalBounds();
  const text = JSON.stringify({ bounds, maximized: window.isMaximized() });
  writeFileAtomic(path, text, 0o600).catch((error: unknown) =>
    logger.warn({ err: error }, 'Saving the window position failed'),
  );
}

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Denies every permission request and check, because the page needs no camera, location or other permission. */
function denyPermissions(logger: Logger): void {
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) => {
    logger.debug({ permission }, 'Denied a permission request from the window');
    callback(false);
  });
  session.defaultSession.setPermissionCheckHandler(() => false);
}
