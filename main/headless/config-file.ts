import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, resolve } from 'node:path';

import { parse, TomlError } from 'smol-toml';
import type { z } from 'zod';

import { CodedError } from '../support/coded-error.js';
import { configSchema, type OwlConfig } from './config-schema.js';

export type ConfigErrorCode = 'config_not_found' | 'config_syntax' | 'config_invalid';

/** A loaded configuration with its data folder resolved to an absolute path. */
export interface LoadedConfig {
  path: string;
  config: OwlConfig;
  dataDir: string;
}

export async function loadConfig(path: string): Promise<LoadedConfig> {
  const absolute = resolve(path);
  const text = await readConfigText(absolute);
  const config = parseConfigText(text, absolute);
  return { path: absolute, config, dataDir: resolveDataDir(config.data_dir, absolute) };
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
  return result.data;
}

function resolveDataDir(dataDir: string, configPath: string): string {
  if (dataDir === '~' || dataDir.startsWith('~/')) return resolve(homedir(), dataDir.slice(2));
  if (isAbsolute(dataDir)) return dataDir;
  return resolve(dirname(configPath), dataDir);
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

export function formatIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `  - ${issue.path.join('.') || '(top level)'}: ${issue.message}`)
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
