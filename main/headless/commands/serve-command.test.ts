import { describe, expect, it } from 'vitest';

import { CodedError } from '../../support/coded-error.js';
import { exitCodeOf } from './option-values.js';
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

describe('exitCodeOf', () => {
  it.each([
    { case: 'an invalid option', error: new CodedError('invalid_option', 'bad'), code: 2 },
    { case: 'a configuration error', error: new CodedError('config_invalid', 'bad'), code: 2 },
    {
      case: 'an unknown argument',
      error: Object.assign(new TypeError('bad'), { code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' }),
      code: 2,
    },
    { case: 'a runtime failure', error: new CodedError('data_dir_locked', 'busy'), code: 1 },
    { case: 'a plain error', error: new Error('boom'), code: 1 },
  ])('returns $code for $case', ({ error, code }) => {
    expect(exitCodeOf(error)).toBe(code);
  });
});
