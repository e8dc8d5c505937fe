import { demoCommand } from './commands/demo-command.js';
import { linkCommand } from './commands/link-command.js';
import { localCloudCommand } from './commands/local-cloud-command.js';
import { showConfigCommand } from './commands/show-config-command.js';
import { serveCommand } from './commands/serve-command.js';
import { simulateCommand } from './commands/simulate-command.js';
import { startCommand } from './commands/start-command.js';

/** One subcommand of the `moonraker-owl` CLI: its options and what it runs. */
export interface CliCommand {
  name: string;
  usage: string;
  summary: string;
  options: Record<string, { type: 'string' | 'boolean'; help: string; short?: string }>;
  run(values: Record<string, string | boolean | undefined>): Promise<number>;
}

export const cliCommands: CliCommand[] = [
  demoCommand,
  serveCommand,
  startCommand,
  linkCommand,
  showConfigCommand,
  simulateCommand,
  localCloudCommand,
];
