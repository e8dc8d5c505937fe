#!/usr/bin/env node
import { parseArgs, type ParseArgsConfig } from 'node:util';

import { CodedError, errorMessage } from '../support/coded-error.js';
import { cliCommands, type CliCommand } from './cli-commands.js';
import { exitCodeOf } from './commands/option-values.js';

const USAGE = `Usage: moonraker-owl <command> [options]

Commands:
${cliCommands.map((command) => `  ${command.usage.padEnd(50)} ${command.summary}`).join('\n')}

Run "moonraker-owl <command> --help" for the options of one command.`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return name ? 0 : 2;
  }
  const command = cliCommands.find((candidate) => candidate.name === name);
  if (!command) {
    process.stderr.write(`Unknown command "${name}".\n\n${USAGE}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${helpOf(command)}\n`);
    return 0;
  }

  const { values } = parseArgs({
    args: rest,
    options: command.options as ParseArgsConfig['options'],
    strict: true,
    allowPositionals: false,
  });
  return command.run(values as Record<string, string | boolean | undefined>);
}

function helpOf(command: CliCommand): string {
  const lines = Object.entries(command.options).map(
    ([option, spec]) =>
      `  --${option}${spec.type === 'string' ? ' VALUE' : ''}`.padEnd(28) + spec.help,
  );
  return `Usage: moonraker-owl ${command.usage}\n\n${command.summary}\n\nOptions:\n${lines.join('\n')}`;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const code = error instanceof CodedError ? ` [${error.code}]` : '';
    process.stderr.write(`moonraker-owl: ${errorMessage(error)}${code}\n`);
    process.exitCode = exitCodeOf(error);
  },
);
