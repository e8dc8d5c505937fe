import {
  ControlServer,
  type ControlServerEndpoint,
} from '../../main/headless/control-server/control-server.js';
import { completeClickToLink } from '../../main/service/click-to-link-report.js';
import { LINK_CALLBACK_PATH, linkCallbackRoute } from '../../main/headless/link-callback-page.js';
import type { LocalCloud } from '../../main/local-cloud/local-cloud.js';
import type { ScenarioName } from '../../main/simulator/moonraker-simulator.js';
import { FleetService } from '../../main/service/fleet-service.js';
import { systemClock } from '../../main/support/clock.js';
import { LogBuffer } from '../../main/support/log-buffer.js';
import { createLogger, type Logger } from '../../main/support/logger.js';
import { APP_VERSION } from '../../main/version.js';
import type { BridgeRig, RunningSimulator } from '../../test/support/bridge-rig.js';
import type { CloudObserver } from '../../test/support/cloud-observer.js';
import { UI_BUILD_DIR } from './browser.js';

/**
 * Everything the web UI talks to: the fleet service wired as `moonraker-owl serve` wires it,
 * serving the UI build, plus a local cloud and an operator subscriber on its broker. mDNS is
 * always off, because it must never run in the machine's own network namespace.
 */
export interface UiStack {
  readonly service: FleetService;
  readonly endpoint: ControlServerEndpoint;
  readonly cloud: LocalCloud;
  readonly observer: CloudObserver;
}

/** Starts the stack on free loopback ports; `rig` releases every part of it. */
export async function startUiStack(rig: BridgeRig): Promise<UiStack> {
  const cloud = await rig.cloud();
  const observer = await rig.observer({
    url: cloud.endpoints.mqttUrl,
    login: cloud.endpoints.operatorMqtt,
  });
  const dataDir = await rig.tempDir('owl-e2e-');
  const logBuffer = new LogBuffer();
  // The lines go to the buffer only, which the UI's log panel reads.
  const logger = createLogger({ level: 'info', destination: logBuffer.stream() });
  const service = await FleetService.open({
    dataDir,
    version: APP_VERSION,
    clock: systemClock,
    logger,
    logBuffer,
    discovery: { mdns: false },
  });
  rig.defer(() => service.stop());
  const endpoint = await startControlServer(rig, service, dataDir, logger);
  await service.start();
  const { httpUrl, mqttUrl } = cloud.endpoints;
  await service.api['settings.update']({
    cloud: { baseUrl: httpUrl, brokerUrl: mqttUrl, webUrl: httpUrl },
  });
  return { service, endpoint, cloud, observer };
}

async function startControlServer(
  rig: BridgeRig,
  service: FleetService,
  dataDir: string,
  logger: Logger,
): Promise<ControlServerEndpoint> {
  const routes: Record<string, ReturnType<typeof linkCallbackRoute>> = {};
  const server = new ControlServer({
    api: service.api,
    dataDir,
    logger,
    routes,
    staticRoot: UI_BUILD_DIR,
  });
  rig.defer(() => server.close());
  const endpoint = await server.start();
  // The route needs the origin, which exists only once the server listens.
  routes[LINK_CALLBACK_PATH] = linkCallbackRoute(
    (callbackUrl) => completeClickToLink(service, callbackUrl),
    endpoint.origin,
    logger,
  );
  service.setLinkCallback(`${endpoint.origin}${LINK_CALLBACK_PATH}`);
  service.onEvent((event, data) => server.publish(event, data));
  return endpoint;
}

/** Starts a scenario simulator and returns it with its port. */
export async function startPrinter(
  rig: BridgeRig,
  scenario: ScenarioName,
  speed = 1,
): Promise<RunningSimulator & { port: number }> {
  const running = await rig.simulator({ mode: { kind: 'scenario', name: scenario, speed } });
  return { ...running, port: Number(new URL(running.url).port) };
}
