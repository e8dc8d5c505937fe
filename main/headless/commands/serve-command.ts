import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { SettingsProblem } from '../../../shared/settings/app-settings.js';
import { completeClickToLink } from '../../service/click-to-link-report.js';
import { FleetService } from '../../service/fleet-service.js';
import { systemClock } from '../../support/clock.js';
import { LogBuffer, createBufferedLogger } from '../../support/log-buffer.js';
import { LogLevelControl, type SettableLogLevel } from '../../support/log-level.js';
import { APP_VERSION } from '../../version.js';
import type { CliCommand } from '../cli-commands.js';
import { DataDirLock } from '../data-dir-lock.js';
import { ControlServer } from '../control-server/control-server.js';
import { LINK_CALLBACK_PATH, linkCallbackRoute } from '../link-callback-page.js';
import { applyingLogLevel } from '../log-level-api.js';
import { waitForStopSignal } from '../run-until-signal.js';
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
    const dataDir = resolve(
      typeof values['data-dir'] === 'string'
        ? values['data-dir']
        : join(homedir(), '.moonraker-owl'),
    );
    const logLevel = parseLogLevel(values['log-level']);
    const lock = await DataDirLock.acquire(dataDir);
    try {
      return await serve(dataDir, values, logLevel);
    } finally {
      await lock.release();
    }
  },
};

/** Runs the service until a stop signal. `logLevelOverride` is the `--log-level` option. */
async function serve(
  dataDir: string,
  values: Record<string, string | boolean | undefined>,
  logLevelOverride: SettableLogLevel | undefined,
): Promise<number> {
  const logBuffer = new LogBuffer();
  // Until the settings are read, the override or info applies.
  const logger = createBufferedLogger(logLevelOverride ?? 'info', logBuffer);
  const service = await FleetService.open({
    dataDir,
    version: APP_VERSION,
    clock: systemClock,
    logger,
    logBuffer,
    ...(values['no-mdns'] === true ? { discovery: { mdns: false } } : {}),
  });
  const logLevel = new LogLevelControl(logger, logLevelOverride);
  logLevel.apply(service.settings.get().logLevel);
  const api = applyingLogLevel(service.api, logLevel);

  const port = parsePort(values['port'], 0);
  const staticRoot = typeof values['ui'] === 'string' ? values['ui'] : bundledUi();
  const routes: Record<
    string,
    Parameters<typeof linkCallbackRoute> extends never
      ? never
      : ReturnType<typeof linkCallbackRoute>
  > = {};
  const server = new ControlServer({
    api,
    dataDir,
    logger,
    port,
    routes,
    ...(staticRoot ? { staticRoot } : {}),
  });
  const endpoint = await server.start();
  routes[LINK_CALLBACK_PATH] = linkCallbackRoute(
    (callbackUrl) => completeClickToLink(service, callbackUrl),
    endpoint.origin,
    logger,
  );
  service.setLinkCallback(`${endpoint.origin}${LINK_CALLBACK_PATH}`);
  service.onEvent((event, data) => server.publish(event, data));
  await service.start();

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
