import { ipcMain, shell, type IpcMainEvent, type IpcMainInvokeEvent } from 'electron';

import {
  DESKTOP_IPC_CHANNELS,
  rendererLogSchema,
  type IpcEventFrame,
} from '../../shared/contract/desktop-ipc.js';
import type { ControlEventData, ControlEventName } from '../../shared/control-api/events.js';
import type { ControlApi } from '../../shared/control-api/methods.js';
import { DisposableStore, toDisposable, type Disposable } from '../support/disposable.js';
import type { AppContext } from './app-context.js';
import { updateSettings } from './apply-settings.js';
import { APP_PAGE_URL } from './logic/app-protocol.js';
import { createIpcCallHandler, isAppPage, type DesktopApi } from './logic/ipc-call-handler.js';
import type { UpdateController } from './logic/update-controller.js';
import type { AppWindow } from './register-window.js';

/** Returns the URL of the sending frame, or undefined once the frame is destroyed. */
function senderUrl(event: IpcMainInvokeEvent | IpcMainEvent): string | undefined {
  return event.senderFrame?.url;
}

/**
 * Registers the three IPC channels: calls (validated and sent to the control API or the desktop methods),
 * events pushed to the window, and renderer log lines.
 */
export function registerIpc(
  context: AppContext,
  window: AppWindow,
  updates: UpdateController,
): Disposable {
  const { service, logger } = context;
  const desktop: DesktopApi = {
    'app.update.state': async () => updates.state,
    'app.update.check': () => updates.check(),
    'app.update.restart': async (params: { confirmedPrinterIds?: string[] }) => ({
      restarting: await updates.restart(params.confirmedPrinterIds),
    }),
    'app.openExternal': async (params: { url: string }) => {
      await shell.openExternal(params.url);
      return { ok: true };
    },
  };
  const api: ControlApi = {
    ...service.api,
    // The shell applies the log level and the login item, which the service only stores.
    'settings.update': (patch) => updateSettings(context, patch),
  };
  const handle = createIpcCallHandler({
    api,
    desktop,
    isTrustedSender: (url) => isAppPage(url, APP_PAGE_URL),
    logger: logger.child({ component: 'ipc' }),
  });
  const disposables = new DisposableStore();

  ipcMain.handle(DESKTOP_IPC_CHANNELS.call, (event, request: unknown) =>
    handle({ senderUrl: senderUrl(event) }, request),
  );
  disposables.add(toDisposable(() => ipcMain.removeHandler(DESKTOP_IPC_CHANNELS.call)));

  const onLog = (event: IpcMainEvent, line: unknown) => {
    const url = senderUrl(event);
    if (!url || !isAppPage(url, APP_PAGE_URL)) return;
    const parsed = rendererLogSchema.safeParse(line);
    if (!parsed.success) return;
    // `log.write` rate-limits the lines, so a window in an error loop cannot flood the log file.
    api['log.write'](parsed.data).catch((error: unknown) =>
      logger.warn({ err: error }, 'Writing a renderer log line failed'),
    );
  };
  ipcMain.on(DESKTOP_IPC_CHANNELS.log, onLog);
  disposables.add(toDisposable(() => ipcMain.off(DESKTOP_IPC_CHANNELS.log, onLog)));

  const send = (frame: IpcEventFrame) => {
    const target = window.current();
    if (target && !target.isDestroyed()) target.webContents.send(DESKTOP_IPC_CHANNELS.event, frame);
  };
  disposables.add(
    service.onEvent(<E extends ControlEventName>(event: E, data: ControlEventData<E>) =>
      send({ event, data }),
    ),
  );
  disposables.add(
    toDisposable(updates.onChange((state) => send({ event: 'app.update', data: state }))),
  );
  return disposables;
}
