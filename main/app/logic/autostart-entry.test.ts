import { describe, expect, it } from 'vitest';

import { autostartEntry, autostartPath, launchPath, quoteExecArgument } from './autostart-entry.js';

describe('autostartPath', () => {
  it('uses XDG_CONFIG_HOME when it is absolute', () => {
    expect(autostartPath({ XDG_CONFIG_HOME: '/srv/config' }, '/home/ada')).toBe(
      '/srv/config/autostart/moonraker-owl.desktop',
    );
  });

  it('falls back to ~/.config', () => {
    expect(autostartPath({}, '/home/ada')).toBe(
      '/home/ada/.config/autostart/moonraker-owl.desktop',
    );
    expect(autostartPath({ XDG_CONFIG_HOME: 'relative' }, '/home/ada')).toBe(
      '/home/ada/.config/autostart/moonraker-owl.desktop',
    );
  });
});

describe('launchPath', () => {
  it('starts the AppImage file rather than its mount', () => {
    const env = { APPIMAGE: '/home/ada/Apps/Moonraker-Owl.AppImage' };
    expect(launchPath('/tmp/.mount_Moonra1/moonraker-owl', env)).toBe(
      '/home/ada/Apps/Moonraker-Owl.AppImage',
    );
  });

  it('starts the executable of an installed package', () => {
    expect(launchPath('/opt/Moonraker Owl/moonraker-owl', {})).toBe(
      '/opt/Moonraker Owl/moonraker-owl',
    );
  });
});

describe('quoteExecArgument', () => {
  it('leaves plain arguments bare', () => {
    expect(quoteExecArgument('--hidden')).toBe('--hidden');
    expect(quoteExecArgument('/usr/bin/moonraker-owl')).toBe('/usr/bin/moonraker-owl');
  });

  it('quotes an argument with a space', () => {
    expect(quoteExecArgument('/opt/Moonraker Owl/moonraker-owl')).toBe(
      '"/opt/Moonraker Owl/moonraker-owl"',
    );
  });

  it('escapes quotes, dollars and backticks inside quotes', () => {
    expect(quoteExecArgument('a"b$c`d')).toBe('"a\\\\"b\\\\$c\\\\`d"');
  });

  it('writes a literal backslash as four', () => {
    expect(quoteExecArgument('a\\b')).toBe('"a\\\\\\\\b"');
  });

  it('doubles a percent sign', () => {
    expect(quoteExecArgument('100%')).toBe('100%%');
  });

  it('quotes an empty argument', () => {
    expect(quoteExecArgument('')).toBe('""');
  });
});

describe('autostartEntry', () => {
  it('starts the program hidden at login', () => {
    const entry = autostartEntry('Moonraker Owl', '/opt/Moonraker Owl/moonraker-owl', ['--hidden']);

    expect(entry.split('\n')).toEqual([
      '[Desktop Entry]',
      'Type=Application',
      'Version=1.5',
      'Name=Moonraker Owl',
      'Exec="/opt/Moonraker Owl/moonraker-owl" --hidden',
      'Terminal=false',
      'X-GNOME-Autostart-enabled=true',
      '',
    ]);
  });
});
