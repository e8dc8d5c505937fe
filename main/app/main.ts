import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { app } from 'electron';

import { FleetService } from '../service/fleet-service.js';
import { systemClock } from '../support/clock.js';
import { DisposableStore, toDisposable } from '../support/disposable.js';
import { ListenerSet, logListenerErrors } from '../support/listener-set.js';
import { LogLevelControl } from '../support/log-level.js';
import { APP_VERSION } from '../version.js';
import type { AppContext } from './app-context.js';
import { createAppLogging } from './app-logger.js';
import { createElectronSettingsBackend } from './electron-settings-backend.js';
import { DeepLinkRouter } from './logic/deep-link-router.js';
import { FleetSnapshot } from './logic/fleet-snapshot.js';
import { parseLaunchOptions } from './logic/launch-options.js';
import { shellLanguage, shellStrings } from './logic/shell-strings.js';
import { registerAppProtocol, registerAppSchemePrivileges } from './register-app-protocol.js';
import { registerDeepLinks } from './register-deep-links.js';
import { registerIpc } from './register-ipc.js';
import { createLoginItemSync } from './register-login-item.js';
import { registerNotifications } from './register-notifications.js';
import { registerTray } from './register-tray.js';
import { registerUpdater } from './register-updater.js';
import { registerWindow } from './register-window.js';
import { createSafeStorageSecretStore } from './safe-storage-secret-store.js';

/** Compiled layout: dist/app/main/app/main.js, next to dist/renderer and the packaged resources/. */
const compiledFolder = dirname(fileURLToPath(import.meta.url));
const appRoot = join(compiledFolder, '..', '..', '..', '..');

async function main(): Promise<void> {
  registerAppSchemePrivileges();
  // The lock comes first, because the running instance owns the log file, and a second instance
  // that opened it could rotate it under the first.
  if (!app.requestSingleInstanceLock()) {
    process.stderr.write('Moonraker Owl is already running, so this instance hands over to it\n');
    app.quit();
    return;
  }
  const userData = app.getPath('userData');
  mkdirSync(join(userData, 'logs'), { recursive: true });
  const { logger, logBuffer, logFile } = createAppLogging(join(userData, 'logs'));
  const disposables = new DisposableStore();
  disposables.add(toDisposable(() => logFile.close()));

  const router = new DeepLinkRouter(logger.child({ component: 'deep-links' }));
  const quitting = { value: false };
  let showWindow: () => void = () => undefined;
  disposables.add(registerDeepLinks(router, () => showWindow()));

  await app.whenReady();
  const service = await FleetService.open({
    dataDir: userData,
    version: APP_VERSION,
    clock: systemClock,
    logger,
    logBuffer,
    settingsBackend: createElectronSettingsBackend(),
    secretStore: createSafeStorageSecretStore(userData),
  });
  const settings = await service.api['settings.get']({});
  const snapshot = new FleetSnapshot(settings, await service.api['printers.list']({}));
  const launch = parseLaunchOptions(process.argv, openedAtLogin());
  for (const problem of launch.problems) logger.warn(problem);
  const logLevel = new LogLevelControl(logger, launch.logLevel);
  logLevel.apply(settings.logLevel);
  const loginItem = createLoginItemSync(logger);
  void loginItem.sync(settings.startAtLogin);
  const systemLocale = app.getLocale();
  const context: AppContext = {
    service,
    snapshot,
    logger,
    logLevel,
    loginItem,
    rendererRoot: join(appRoot, 'dist', 'renderer'),
    resourcesRoot: join(appRoot, 'resources'),
    quitting,
    strings: () => shellStrings(shellLanguage(snapshot.settings.language, systemLocale)),
    settingsChanged: new ListenerSet(logListenerErrors(logger, 'settings changed')),
  };

  disposables.add(registerAppProtocol(context.rendererRoot, logger));
  const window = disposables.add(
    registerWindow({
      userData,
      preloadPath: join(compiledFolder, 'preload.cjs'),
      logger,
      quitting,
    }),
  );
  showWindow = () => window.show();
  const updates = disposables.add(registerUpdater(context));
  disposables.add(registerIpc(context, window, updates));
  disposables.add(registerTray(context, window, updates));
  disposables.add(registerNotifications(context, window));

  await service.start();
  await router.ready(async (url) => {
    window.show();
    await service.api['link.complete']({ callbackUrl: url });
  });
  if (!launch.hidden) window.show();

  registerShutdown(service, disposables, quitting);
  logger.info({ version: APP_VERSION, userData }, 'Moonraker Owl started');
}

/** macOS starts login items without arguments, but reports that it did. */
function openedAtLogin(): boolean {
  return process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin;
}

/** Quitting stops the service first, so bridges close their connections cleanly. */
function registerShutdown(
  service: FleetService,
  disposables: DisposableStore,
  quitting: { value: boolean },
): void {
  let stopped = false;
  app.on('before-quit', (event) => {
    quitting.value = true;
    if (stopped) return;
    event.preventDefault();
    stopped = true;
    void service.stop().finally(() => {
      disposables.dispose();
      app.quit();
    });
  });
  // The app lives in the tray, so closing the last window does not quit it.
  app.on('window-all-closed', () => undefined);
}

main().catch((error: unknown) => {
  console.error('Moonraker Owl failed to start', error);
  app.exit(1);
});
