import type { AppSettings, SettingsPatch } from '../../../shared/settings/app-settings.js';

/**
 * Applies a control API patch: each given field replaces the stored one, and sections merge field
 * by field. `discovery.interfaceAddress: null` removes the address, so discovery uses every
 * interface again. Fields that are present but undefined are ignored, so they never reset a value
 * to its default. The result still needs validation.
 */
export function applySettingsPatch(settings: AppSettings, patch: SettingsPatch): AppSettings {
  const next: AppSettings = structuredClone(settings);

  if (patch.cloud) next.cloud = { ...next.cloud, ...definedFields(patch.cloud) };
  if (patch.telemetry) next.telemetry = { ...next.telemetry, ...definedFields(patch.telemetry) };
  if (patch.notifications) {
    next.notifications = { ...next.notifications, ...definedFields(patch.notifications) };
  }
  if (patch.update) next.update = { ...next.update, ...definedFields(patch.update) };
  if (patch.discovery) next.discovery = patchDiscovery(next.discovery, patch.discovery);

  if (patch.startAtLogin !== undefined) next.startAtLogin = patch.startAtLogin;
  if (patch.logLevel !== undefined) next.logLevel = patch.logLevel;
  if (patch.language !== undefined) next.language = patch.language;
  return next;
}

function patchDiscovery(
  discovery: AppSettings['discovery'],
  patch: NonNullable<SettingsPatch['discovery']>,
): AppSettings['discovery'] {
  const { interfaceAddress, ...rest } = patch;
  const next = { ...discovery, ...definedFields(rest) };
  if (interfaceAddress === null) delete next.interfaceAddress;
  if (typeof interfaceAddress === 'string') next.interfaceAddress = interfaceAddress;
  return next;
}

function definedFields<T extends object>(section: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(section).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}
