import type { AppSettings } from '../../../shared/settings/app-settings.js';

/** Changes that the shell applies outside the service when the settings change. */
export interface SettingsEffects {
  /** The new `startAtLogin`, when it changed. */
  startAtLogin?: boolean;
  /** The new stored log level, when it changed. */
  logLevel?: AppSettings['logLevel'];
}

/**
 * Compares the settings before and after an update. The service stores them; the login item and
 * the logger's level belong to the shell, which applies only what changed.
 */
export function settingsEffects(before: AppSettings, after: AppSettings): SettingsEffects {
  const effects: SettingsEffects = {};
  if (before.startAtLogin !== after.startAtLogin) effects.startAtLogin = after.startAtLogin;
  if (before.logLevel !== after.logLevel) effects.logLevel = after.logLevel;
  return effects;
}
