import { describe, expect, it } from 'vitest';

import { appSettingsSchema } from '../../../shared/settings/app-settings.js';
import { settingsEffects } from './settings-effects.js';

const before = appSettingsSchema.parse({ version: 1 });

describe('settingsEffects', () => {
  it('reports a changed login setting and log level', () => {
    const after = { ...before, startAtLogin: true, logLevel: 'debug' as const };
    expect(settingsEffects(before, after)).toEqual({ startAtLogin: true, logLevel: 'debug' });
  });

  it('reports nothing for other changes', () => {
    const after = { ...before, language: 'zh-CN' as const };
    expect(settingsEffects(before, after)).toEqual({});
  });
});
