import type { SettingsPatch, AppSettings } from '../../shared/settings/app-settings.js';
import type { AppContext } from './app-context.js';
import { settingsEffects } from './logic/settings-effects.js';

/**
 * Stores a settings patch through the service, then applies what the shell owns: the copy that
 * the tray and updater read, the logger's level and the OS login item. Then it emits
 * `settingsChanged`, so that the tray shows the new language and login item.
 */
export async function updateSettings(
  context: AppContext,
  patch: SettingsPatch,
): Promise<AppSettings> {
  const before = context.snapshot.settings;
  const after = await context.service.api['settings.update'](patch);
  context.snapshot.settings = after;

  const effects = settingsEffects(before, after);
  if (effects.logLevel) context.logLevel.apply(effects.logLevel);
  if (effects.startAtLogin !== undefined) await context.loginItem.sync(effects.startAtLogin);
  context.settingsChanged.emit(after);
  return after;
}
