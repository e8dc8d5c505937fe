import { app, dialog } from 'electron';
import electronUpdater from 'electron-updater';

import { CodedError } from '../support/coded-error.js';
import type { AppContext } from './app-context.js';
import {
  UPDATE_FEED_MISSING,
  UpdateController,
  failureEvent,
  type UpdaterPort,
} from './logic/update-controller.js';
import { planUpdateFeed } from './logic/update-feed.js';
import { systemClock } from '../support/clock.js';

/**
 * Sets up background updates from the generic feed in `settings.update.feedUrl`, or without one
 * from the app-update.yml that electron-builder packaged from its publish config. They are checked
 * at start and every six hours, downloaded quietly and installed on "Restart to update". The
 * controller requests consent before restarting while a printer prints.
 */
export function registerUpdater(context: AppContext): UpdateController {
  const { autoUpdater } = electronUpdater;
  const logger = context.logger.child({ component: 'updater' });
  autoUpdater.autoDownload = false;
  autoUpdater.autoInstallOnAppQuit = false;
  autoUpdater.logger = null;

  let appliedFeedUrl: string | undefined;
  const port: UpdaterPort = {
    async checkForUpdates() {
      const plan = planUpdateFeed({
        feedUrl: context.snapshot.settings.update.feedUrl,
        appliedFeedUrl,
        packaged: app.isPackaged,
      });
      if (plan.kind === 'not-set-up')
        throw new CodedError(
          UPDATE_FEED_MISSING,
          'Updates are not set up for this build; set update.feedUrl in the settings to test them',
        );
      if (plan.kind === 'set-feed') {
        autoUpdater.setFeedURL({ provider: 'generic', url: plan.url });
        appliedFeedUrl = plan.url;
      }
      await autoUpdater.checkForUpdates();
    },
    async downloadUpdate() {
      await autoUpdater.downloadUpdate();
    },
    quitAndInstall() {
      context.quitting.value = true;
      autoUpdater.quitAndInstall(false, true);
    },
  };
  const controller = new UpdateController({
    updater: port,
    clock: systemClock,
    logger,
    printers: () => context.snapshot.printers,
    confirmRestart: async (busyPrinters) => {
      const strings = context.strings();
      const { response } = await dialog.showMessageBox({
        type: 'warning',
        buttons: [strings.restartNow, strings.later],
        defaultId: 1,
        cancelId: 1,
        message: strings.restartQuestion,
        detail: strings.restartDetail(busyPrinters),
      });
      return response === 0;
    },
  });

  autoUpdater.on('update-available', (info) =>
    controller.handle({ type: 'available', version: info.version }),
  );
  autoUpdater.on('update-not-available', () => controller.handle({ type: 'not-available' }));
  autoUpdater.on('download-progress', (progress) =>
    controller.handle({ type: 'progress', percent: progress.percent }),
  );
  autoUpdater.on('update-downloaded', (info) =>
    controller.handle({ type: 'downloaded', version: info.version }),
  );
  autoUpdater.on('error', (error) => controller.handle(failureEvent(error)));

  const automatic = context.snapshot.settings.update.checkAutomatically;
  if (app.isPackaged && automatic) controller.start();
  else logger.info({ packaged: app.isPackaged, automatic }, 'Automatic update checks are off');
  return controller;
}
