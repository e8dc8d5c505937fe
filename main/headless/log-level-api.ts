import type { ControlApi } from '../../shared/control-api/methods.js';
import type { LogLevelControl } from '../support/log-level.js';

/**
 * Wraps the control API so that a stored log level takes effect at once: after every
 * `settings.update`, `control` applies the level of the saved settings to the logger. The
 * service only stores the level, because the logger belongs to the process that runs it.
 */
export function applyingLogLevel(api: ControlApi, control: LogLevelControl): ControlApi {
  return {
    ...api,
    'settings.update': async (patch) => {
      const after = await api['settings.update'](patch);
      control.apply(after.logLevel);
      return after;
    },
  };
}
