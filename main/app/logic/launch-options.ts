import { isSettableLogLevel, type SettableLogLevel } from '../../support/log-level.js';

/** The argument that login items pass, so that the app starts in the tray without its window. */
export const HIDDEN_ARGUMENT = '--hidden';

export interface LaunchOptions {
  /** Start in the tray without showing the window. */
  hidden: boolean;
  /** `--log-level=LEVEL`, which overrides the stored log level for this run. */
  logLevel?: SettableLogLevel;
  /** Arguments that were recognised but had an invalid value, for the log. */
  problems: string[];
}

/**
 * Reads the shell's own command line arguments, ignoring the rest (Chromium switches, the deep
 * link URL on Windows and Linux). macOS starts login items without arguments, so there
 * `openedAtLogin` marks a start that stays in the tray.
 */
export function parseLaunchOptions(argv: readonly string[], openedAtLogin: boolean): LaunchOptions {
  const options: LaunchOptions = {
    hidden: openedAtLogin || argv.includes(HIDDEN_ARGUMENT),
    problems: [],
  };
  const value = logLevelArgument(argv);
  if (value === undefined) return options;
  if (isSettableLogLevel(value)) options.logLevel = value;
  else
    options.problems.push(`--log-level must be trace, debug, info, warn or error, got "${value}"`);
  return options;
}

function logLevelArgument(argv: readonly string[]): string | undefined {
  const index = argv.findIndex((arg) => arg === '--log-level' || arg.startsWith('--log-level='));
  if (index === -1) return undefined;
  const arg = argv[index] ?? '';
  return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : (argv[index + 1] ?? '');
}
