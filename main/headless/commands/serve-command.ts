import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { SettingsProblem } from '../../../shared/settings/app-settings.js';
import { FleetService } from '../../service/fleet-service.js';
import { systemClock } from '../../support/clock.js';
import { CodedError } from '../../support/coded-error.js';
import { LogBuffer, createBufferedLogger } from '../../support/log-buffer.js';
import { LogLevelControl, type SettableLogLevel } from '../../support/log-level.js';
import { APP_VERSION } from '../../version.js';
import type { CliCommand } from '../cli-commands.js';
import { DataDirLock } from '../data-dir-lock.js';
import { assertControlTokenUsable } from '../control-server/control-token.js';
import { applyingLogLevel } from '../log-level-api.js';
import { waitForStopSignal } from '../run-until-signal.js';
import { serveFleetService } from '../serve-fleet-service.js';
import { parseLogLevel, parsePort } from './option-values.js';

export const serveCommand: CliCommand = {
  name: 'serve',
  usage: 'serve [--data-dir DIR] [--port N] [--ui DIR] [--log-level LEVEL] [--no-mdns]',
  summary: 'Run the fleet service with its web UI and control API on 127.0.0.1.',
  options: {
    'data-dir': {
      type: 'string',
      help: 'Folder for settings and secrets (default ~/.moonraker-owl)',
    },
    port: { type: 'string', help: 'Port of the web UI and control API (default: any free port)' },
    ui: { type: 'string', help: 'Folder of the web UI build (default: the bundled one)' },
    'log-level': {
      type: 'string',
      help: 'Log level for this run, which overrides the stored one: trace, debug, info, warn or error',
    },
    'no-mdns': { type: 'boolean', help: 'Do not browse the network with mDNS' },
  },
  async run(values) {
    const options = await checkServeOptions(values);
    const lock = await DataDirLock.acquire(options.dataDir);
    try {
      return await serve(options);
    } finally {
      await lock.release();
    }
  },
};

/** The options of `serve`, checked. */
export interface ServeOptions {
  dataDir: string;
  /** The `--log-level` option, which overrides the stored log level. */
  logLevel: SettableLogLevel | undefined;
  /** Port of the control server; 0 for any free port. */
  port: number;
  /** Folder of the web UI build, when there is one. */
  staticRoot: string | undefined;
  mdns: boolean;
}

/**
 * Checks every option of `serve` before anything reads or writes the data folder, so that a
 * typo cannot reset the settings. Throws `invalid_option`, which exits with code 2, and
 * `control_token_invalid` when the token path in the data folder is not a file.
 */
export async function checkServeOptions(
  values: Record<string, string | boolean | undefined>,
): Promise<ServeOptions> {
  const dataDir = resolve(
    typeof values['data-dir'] === 'string' ? values['data-dir'] : join(homedir(), '.moonraker-owl'),
  );
  const logLevel = parseLogLevel(values['log-level']);
  const port = parsePort(values['port'], 0);
  await checkDataDir(dataDir);
  const staticRoot =
    typeof values['ui'] === 'string' ? await checkUiFolder(values['ui']) : bundledUi();
  await assertControlTokenUsable(dataDir);
  return { dataDir, logLevel, port, staticRoot, mdns: values['no-mdns'] !== true };
}

/** Accepts a missing folder, which the lock creates, and rejects a file or an unusable path. */
async function checkDataDir(dataDir: string): Promise<void> {
  const found = await statOrUndefined(dataDir, '--data-dir');
  if (found && !found.isDirectory()) {
    throw new CodedError(
      'invalid_option',
      `--data-dir ${dataDir} is a file, not a folder; choose a folder`,
    );
  }
}

async function checkUiFolder(folder: string): Promise<string> {
  const path = resolve(folder);
  const found = await statOrUndefined(path, '--ui');
  if (!found || !found.isDirectory()) {
    throw new CodedError(
      'invalid_option',
      `--ui ${path} is not a folder; choose the folder of the web UI build, such as dist/renderer`,
    );
  }
  const index = await statOrUndefined(join(path, 'index.html'), '--ui');
  if (!index?.isFile()) {
    throw new CodedError(
      'invalid_option',
      `--ui ${path} has no index.html; run npm run build:ui or choose the folder of the web UI build`,
    );
  }
  return path;
}

/** Returns the path's status, or undefined when nothing is there. */
async function statOrUndefined(path: string, option: string) {
  try {
    return await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ENOTDIR') {
      throw new CodedError(
        'invalid_option',
        `${option} ${path} is inside a file, not a folder; choose a folder`,
      );
    }
    throw error;
  }
}

/** Runs the service until a stop signal. */
async function serve(options: ServeOptions): Promise<number> {
  const { dataDir, port, staticRoot } = options;
  const logBuffer = new LogBuffer();
  // Until the settings are read, the override or info applies.
  const logger = createBufferedLogger(options.logLevel ?? 'info', logBuffer);
  const service = await FleetService.open({
    dataDir,
    version: APP_VERSION,
    clock: systemClock,
    logger,
    logBuffer,
    ...(options.mdns ? {} : { discovery: { mdns: false } }),
  });
  const logLevel = new LogLevelControl(logger, options.logLevel);
  logLevel.apply(service.settings.get().logLevel);
  const api = applyingLogLevel(service.api, logLevel);

  const { server, endpoint } = await serveFleetService(service, {
    api,
    dataDir,
    logger,
    port,
    ...(staticRoot ? { staticRoot } : {}),
  });

  // Listening first, because a service manager may send SIGTERM as soon as it reads the line.
  const stopped = waitForStopSignal();
  const problem = settingsProblemText(service.settings.get().loadProblem);
  process.stdout.write(`moonraker-owl is running. Open ${endpoint.pageUrl}\n${problem}`);
  await stopped;
  await server.close();
  await service.stop();
  return 0;
}

/**
 * Returns the lines that `serve` prints after its address while the settings keep a load
 * problem, or an empty string when they keep none. The web UI shows the same problem until the
 * user dismisses it there.
 */
export function settingsProblemText(problem: SettingsProblem | undefined): string {
  if (!problem) return '';
  return (
    `Settings problem: ${problem.message}\n` +
    'The web UI shows this problem until you dismiss it there.\n'
  );
}

/**
 * Finds the web UI build in `dist/renderer`: three folders up from the source tree, four from the
 * compiled `dist/node/main/headless/commands`.
 */
function bundledUi(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    resolve(here, '../../../dist/renderer'),
    resolve(here, '../../../../renderer'),
  ];
  return candidates.find((candidate) => existsSync(join(candidate, 'index.html')));
}
