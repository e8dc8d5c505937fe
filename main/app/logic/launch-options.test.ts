import { describe, expect, it } from 'vitest';

import { parseLaunchOptions } from './launch-options.js';

describe('parseLaunchOptions', () => {
  it('starts hidden with --hidden', () => {
    expect(parseLaunchOptions(['/opt/owl/moonraker-owl', '--hidden'], false)).toEqual({
      hidden: true,
      problems: [],
    });
  });

  it('starts hidden when macOS opened it at login', () => {
    expect(parseLaunchOptions(['/Applications/Moonraker Owl.app'], true).hidden).toBe(true);
  });

  it('shows the window otherwise', () => {
    expect(parseLaunchOptions(['/opt/owl/moonraker-owl', 'owl://link?code=x'], false).hidden).toBe(
      false,
    );
  });

  it('reads a log level in either form', () => {
    expect(parseLaunchOptions(['app', '--log-level=debug'], false).logLevel).toBe('debug');
    expect(parseLaunchOptions(['app', '--log-level', 'trace'], false).logLevel).toBe('trace');
  });

  it('reports an invalid log level', () => {
    const options = parseLaunchOptions(['app', '--log-level=loud'], false);
    expect(options.logLevel).toBeUndefined();
    expect(options.problems).toEqual([
      '--log-level must be trace, debug, info, warn or error, got "loud"',
    ]);
  });
});
