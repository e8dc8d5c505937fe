import type { AppSettings } from '../../shared/settings/app-settings.js';
import type { FleetService } from '../service/fleet-service.js';
import type { ListenerSet } from '../support/listener-set.js';
import type { LogLevelControl } from '../support/log-level.js';
import type { Logger } from '../support/logger.js';
import type { FleetSnapshot } from './logic/fleet-snapshot.js';
import type { LoginItemSync } from './logic/login-item.js';
import type { ShellStrings } from './logic/shell-strings.js';

/** What the registered features share once the service is open. */
export interface AppContext {
  service: FleetService;
  snapshot: FleetSnapshot;
  logger: Logger;
  /** Applies the stored log level to `logger`, unless the command line set one. */
  logLevel: LogLevelControl;
  /** Keeps the OS login item in line with `startAtLogin`. */
  loginItem: LoginItemSync;
  /** Folder of the built renderer (index.html and assets). */
  rendererRoot: string;
  /** Folder of the icons. */
  resourcesRoot: string;
  /** Set once the user chose Quit, so closing the window no longer only hides it. */
  quitting: { value: boolean };
  /** The shell's text in the stored language, else in the system's, as it is right now. */
  strings: () => ShellStrings;
  /** Called with the new settings after each change that went through the shell. */
  settingsChanged: ListenerSet<[AppSettings]>;
}
