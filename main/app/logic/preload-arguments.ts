import { desktopMethods } from '../../../shared/contract/desktop-ipc.js';
import { controlMethods } from '../../../shared/control-api/methods.js';

/** Command line switch of the renderer that lists the control API methods for the preload. */
export const CONTROL_METHODS_SWITCH = '--owl-api-methods=';
/** Command line switch of the renderer that lists the desktop methods for the preload. */
export const DESKTOP_METHODS_SWITCH = '--owl-app-methods=';

/**
 * Returns the `additionalArguments` of the app window: the method names from the method tables,
 * from which the preload builds one function each on `window.owl`. The names contain only
 * letters and dots, so they need no quoting on any platform's command line.
 */
export function preloadArguments(): string[] {
  return [
    `${CONTROL_METHODS_SWITCH}${Object.keys(controlMethods).join(',')}`,
    `${DESKTOP_METHODS_SWITCH}${Object.keys(desktopMethods).join(',')}`,
  ];
}
