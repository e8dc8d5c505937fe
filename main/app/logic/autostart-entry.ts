import { join } from 'node:path';

/** File name of the app's entry in the XDG autostart folder. */
export const AUTOSTART_FILE_NAME = 'moonraker-owl.desktop';

/**
 * Returns `$XDG_CONFIG_HOME/autostart/moonraker-owl.desktop`, where `XDG_CONFIG_HOME` defaults to
 * `~/.config` when unset or not absolute (XDG Base Directory Specification 0.8).
 */
export function autostartPath(env: Readonly<Record<string, string | undefined>>, home: string) {
  const configured = env['XDG_CONFIG_HOME'];
  const configHome = configured?.startsWith('/') ? configured : join(home, '.config');
  return join(configHome, 'autostart', AUTOSTART_FILE_NAME);
}

/**
 * Returns the program that a login should start: the AppImage file itself when the app runs from
 * one (its `execPath` is inside a temporary mount that is gone after the run), else `execPath`.
 */
export function launchPath(execPath: string, env: Readonly<Record<string, string | undefined>>) {
  const appImage = env['APPIMAGE'];
  return appImage && appImage.startsWith('/') ? appImage : execPath;
}

/** Characters that force an Exec argument into double quotes (Desktop Entry Specification 1.5). */
const RESERVED = /[\s"'\\><~|&;$*?#()`]/;

/**
 * Quotes one argument of an `Exec` key. Inside the quotes `"`, `` ` ``, `$` and `\` get a
 * backslash, and the string rules of the file double every backslash once more. A literal `%` is
 * written `%%`, because `%` starts a field code.
 */
export function quoteExecArgument(argument: string): string {
  const percent = argument.replaceAll('%', '%%');
  if (percent !== '' && !RESERVED.test(percent)) return percent;
  const quoted = `"${percent.replace(/["`$\\]/g, (character) => `\\${character}`)}"`;
  return quoted.replaceAll('\\', '\\\\');
}

/** Builds the autostart entry that starts `program` with `args` at login. */
export function autostartEntry(name: string, program: string, args: readonly string[]): string {
  const exec = [program, ...args].map(quoteExecArgument).join(' ');
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.5',
    `Name=${name}`,
    `Exec=${exec}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}
