import { readFile, rm } from 'node:fs/promises';
import { homedir } from 'node:os';

import { app } from 'electron';

import { writeFileAtomic } from '../support/atomic-file.js';
import { autostartEntry, autostartPath, launchPath } from './logic/autostart-entry.js';
import { HIDDEN_ARGUMENT } from './logic/launch-options.js';
import {
  LoginItemSync,
  loginItemSupport,
  type LoginItemPort,
  type LoginItemState,
} from './logic/login-item.js';
import { PRODUCT_NAME } from './logic/shell-strings.js';
import type { Logger } from '../support/logger.js';

/** Creates the login item sync for this platform; the caller syncs it at start and on change. */
export function createLoginItemSync(logger: Logger): LoginItemSync {
  const support = loginItemSupport(process.platform);
  const port = support === 'xdg-autostart' ? xdgAutostartPort() : electronLoginItemPort();
  return new LoginItemSync(
    { ...port, support },
    app.isPackaged,
    logger.child({ component: 'login-item' }),
  );
}

/** macOS and Windows. The Windows run key is compared with its arguments, so both pass them. */
function electronLoginItemPort(): Omit<LoginItemPort, 'support'> {
  const args = [HIDDEN_ARGUMENT];
  return {
    read: async (): Promise<LoginItemState> =>
      app.getLoginItemSettings({ args }).openAtLogin ? 'registered' : 'absent',
    register: async () => app.setLoginItemSettings({ openAtLogin: true, openAsHidden: true, args }),
    unregister: async () => app.setLoginItemSettings({ openAtLogin: false, args }),
  };
}

/** Linux and the BSDs: a `.desktop` file in the XDG autostart folder. */
function xdgAutostartPort(): Omit<LoginItemPort, 'support'> {
  const path = autostartPath(process.env, homedir());
  const entry = autostartEntry(PRODUCT_NAME, launchPath(process.execPath, process.env), [
    HIDDEN_ARGUMENT,
  ]);
  return {
    async read(): Promise<LoginItemState> {
      try {
        return (await readFile(path, 'utf8')) === entry ? 'registered' : 'outdated';
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
        throw error;
      }
    },
    register: () => writeFileAtomic(path, entry, 0o644),
    unregister: () => rm(path, { force: true }),
  };
}
