/** One subcommand of the `moonraker-owl` CLI: its options and what it runs. */
export interface CliCommand {
  name: string;
  usage: string;
  summary: string;
  options: Record<string, { type: 'string' | 'boolean'; help: string; short?: string }>;
  run(values: Record<string, string | boolean | undefined>): Promise<number>;
}

export const cliCommands: CliCommand[] = [];
