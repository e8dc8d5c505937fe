import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, resolve } from 'node:path';

import { parse, TomlError } from 'smol-toml';
import type { z } from 'zod';

import { summarizeIssues } from '../../shared/control-api/issue-message.js';
import { findUnknownKeys, type UnknownKey } from '../../shared/settings/unknown-keys.js';
import { CodedError } from '../support/coded-error.js';
import { configSchema, type OwlConfig } from './config-schema.js';

export type ConfigErrorCode = 'config_not_found' | 'config_syntax' | 'config_invalid';

/** A loaded configuration with its data folder resolved to an absolute path. */
export interface LoadedConfig {
  path: string;
  config: OwlConfig;
  dataDir: string;
  /** Keys of the file that no setting has, which the configuration ignores. */
  unknownKeys: UnknownKey[];
}

export async function loadConfig(path: string): Promise<LoadedConfig> {
  const absolute = resolve(path);
  const text = await readConfigText(absolute);
  const { config, unknownKeys } = parseConfig(text, absolute);
  const dataDir = resolveDataDir(config.data_dir, absolute);
  return { path: absolute, config, dataDir, unknownKeys };
}

/** Writes one warning line per unknown key of a loaded configuration to `write`. */
export function warnUnknownKeys(loaded: LoadedConfig, write: (line: string) => void): void {
  for (const unknown of loaded.unknownKeys) write(`${loaded.path}: ${unknown.message}`);
}

async function readConfigText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new CodedError<ConfigErrorCode>(
      'config_not_found',
      `Cannot read the configuration file ${path}: ${(error as Error).message}. ` +
        'Pass --config with the path of a TOML file (see the README for an example).',
      { cause: error },
    );
  }
}

export function parseConfigText(text: string, path: string): OwlConfig {
  return parseConfig(text, path).config;
}

/** Parses and validates the file's text, and lists the keys that no setting has. */
export function parseConfig(
  text: string,
  path: string,
): { config: OwlConfig; unknownKeys: UnknownKey[] } {
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    const where =
      error instanceof TomlError ? ` at line ${error.line}, column ${error.column}` : '';
    throw new CodedError<ConfigErrorCode>(
      'config_syntax',
      `The configuration file ${path} is not valid TOML${where}: ${firstLine(error)}`,
      { cause: error },
    );
  }

  const result = configSchema.safeParse(document);
  if (!result.success) {
    throw new CodedError<ConfigErrorCode>(
      'config_invalid',
      `The configuration file ${path} has invalid settings:\n${formatIssues(result.error)}`,
    );
  }
  return { config: result.data, unknownKeys: findUnknownKeys(configSchema, document) };
}

function resolveDataDir(dataDir: string, configPath: string): string {
  if (dataDir === '~' || dataDir.startsWith('~/')) return resolve(homedir(), dataDir.slice(2));
  if (isAbsolute(dataDir)) return dataDir;
  return resolve(dirname(configPath), dataDir);
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

/** Lists the issues one a line, such as `  - printers[0].moonraker_url must be a valid URL`. */
export function formatIssues(error: z.ZodError): string {
  return summarizeIssues(error.issues, '(top level)')
    .map((issue) => `  - ${issue.message}`)
    .join('\n');
}

/** Renders the configuration for `show-config`, with every secret replaced. */
export function redactConfig(config: OwlConfig): OwlConfig {
  return {
    ...config,
    printers: config.printers.map((printer) =>
      printer.api_key === undefined ? printer : { ...printer, api_key: '[redacted]' },
    ),
  };
}
