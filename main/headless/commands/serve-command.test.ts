import { describe, expect, it } from 'vitest';

import { serveCommand, settingsProblemText } from './serve-command.js';

describe('serve command', () => {
  it('names every option in its usage line', () => {
    for (const option of Object.keys(serveCommand.options)) {
      expect(serveCommand.usage).toContain(`[--${option}`);
    }
  });
});

describe('settingsProblemText', () => {
  it('prints nothing without a problem', () => {
    expect(settingsProblemText(undefined)).toBe('');
  });

  it('prints the message and how to dismiss it', () => {
    const text = settingsProblemText({
      code: 'settings_corrupt',
      outcome: 'reset',
      message: 'Settings file /data/settings.json is corrupt (not valid JSON).',
      location: '/data/settings.json',
      backup: '/data/settings.json.corrupt-1',
      detectedAt: '2026-01-01T12:00:00.000Z',
    });

    expect(text).toBe(
      'Settings problem: Settings file /data/settings.json is corrupt (not valid JSON).\n' +
        'The web UI shows this problem until you dismiss it there.\n',
    );
  });
});
