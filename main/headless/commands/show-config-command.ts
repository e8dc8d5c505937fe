import { loadConfig, redactConfig, warnUnknownKeys } from '../config-file.js';
import type { CliCommand } from '../cli-commands.js';

export const showConfigCommand: CliCommand = {
  name: 'show-config',
  usage: 'show-config --config FILE',
  summary: 'Print the configuration with defaults filled in and secrets redacted.',
  options: { config: { type: 'string', help: 'Path of the TOML configuration file' } },
  async run(values) {
    const loaded = await loadConfig(requireString(values, 'config'));
    warnUnknownKeys(loaded, (line) => process.stderr.write(`${line}\n`));
    const shown = { ...redactConfig(loaded.config), data_dir: loaded.dataDir };
    process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
    return 0;
  },
};

export function requireString(
  values: Record<string, string | boolean | undefined>,
  name: string,
): string {
  const value = values[name];
  if (typeof value === 'string' && value.trim() !== '') return value;
  throw new Error(`Missing --${name}; run with --help for the options`);
}
