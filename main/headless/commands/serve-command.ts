import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { FleetService } from '../../service/fleet-service.js';
import { systemClock } from '../../support/clock.js';
import { LogBuffer, createBufferedLogger } from '../../support/log-buffer.js';
import type { LogLevel } from '../../support/logger.js';
import { APP_VERSION } from '../../version.js';
import type { CliCommand } from '../cli-commands.js';
import { ControlServer } from '../control-server/control-server.js';
import { LINK_CALLBACK_PATH, linkCallbackRoute } from '../link-callback-page.js';
import { waitForStopSignal } from '../run-until-signal.js';
import { parsePort } from './option-values.js';

export const serveCommand: CliCommand = {
  name: 'serve',
  usage: 'serve [--data-dir DIR] [--port N]',
  summary: 'Run the fleet service with its web UI and control API on 127.0.0.1.',
  options: {
    'data-dir': {
      type: 'string',
      help: 'Folder for settings and secrets (default ~/.moonraker-owl)',
    },
    port: { type: 'string', help: 'Port of the web UI and control API (default: any free port)' },
    ui: { type: 'string', help: 'Folder of the web UI build (default: the bundled one)' },
    'log-level': { type: 'string', help: 'trace, debug, info, warn or error (default info)' },
    'no-mdns': { type: 'boolean', help: 'Do not browse the network with mDNS' },
  },
  async run(values) {
    const dataDir = resolve(
      typeof values['data-dir'] === 'string'
        ? values['data-dir']
        : join(homedir(), '.moonraker-owl'),
    );
    const logBuffer = new LogBuffer();
    const level = (
      typeof values['log-level'] === 'string' ? values['log-level'] : 'info'
    ) as LogLevel;
    const logger = createBufferedLogger(level, logBuffer);
    const service = await FleetService.open({
      dataDir,
      version: APP_VERSION,
      clock: systemClock,
      logger,
      logBuffer,
      ...(values['no-mdns'] === true ? { discovery: { mdns: false } } : {}),
    });

    const port = parsePort(values['port'], 0);
    const staticRoot = typeof values['ui'] === 'string' ? values['ui'] : bundledUi();
    const routes: Record<
      string,
      Parameters<typeof linkCallbackRoute> extends never
        ? never
        : ReturnType<typeof linkCallbackRoute>
    > = {};
    const server = new ControlServer({
      api: service.api,
      dataDir,
      logger,
      port,
      routes,
      ...(staticRoot ? { staticRoot } : {}),
    });
    const endpoint = await server.start();
    routes[LINK_CALLBACK_PATH] = linkCallbackRoute(service.api, endpoint.origin, logger);
    service.setLinkCallback(`${endpoint.origin}${LINK_CALLBACK_PATH}`);
    service.onEvent((event, data) => server.publish(event, data));
    await service.start();

    process.stdout.write(`moonraker-owl is running. Open ${endpoint.pageUrl}\n`);
    await waitForStopSignal();
    await server.close();
    await service.stop();
    return 0;
  },
};

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
