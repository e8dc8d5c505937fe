import { credentialsFromLink } from '../../../shared/contract/device-http.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { LinkClient } from '../../cloud/link-client.js';
import { LocalCloud, type LocalCloudEndpoints } from '../../local-cloud/local-cloud.js';
import { MoonrakerSimulator } from '../../simulator/moonraker-simulator.js';
import type { ScenarioName } from '../../simulator/moonraker-simulator.js';
import type { Clock } from '../../support/clock.js';
import type { Logger } from '../../support/logger.js';
import { APP_VERSION } from '../../version.js';
import { BridgeGroup, type BridgeTarget } from '../bridge-group.js';
import {
  assertReadableRecording,
  DEFAULT_BROKER_TIMEOUT_MS,
  withinBrokerTimeout,
} from './demo-checks.js';

export interface DemoOptions {
  printers: number;
  /** A recorded Moonraker session to replay to every printer, instead of a scenario. */
  replay?: string;
  scenario?: ScenarioName;
  speed: number;
  /** An external MQTT broker to use instead of the embedded one. */
  brokerUrl?: string;
  /** Wait for every bridge's first broker connection; 15 000 ms by default. */
  brokerTimeoutMs?: number;
  /** Keeps state here instead of a temporary folder that is removed on stop. */
  dataDir?: string;
  clock: Clock;
  logger: Logger;
  /** Runs once the local cloud is up and before any printer is linked, to watch from the start. */
  onCloudStarted?: (endpoints: LocalCloudEndpoints) => Promise<void>;
  /** Runs as each printer is linked, before its bridge starts and its first message arrives. */
  onPrinterLinked?: (printer: DemoPrinter) => void;
}

export interface DemoPrinter {
  name: string;
  deviceId: string;
  moonrakerUrl: string;
}

/** A running demo: simulated printers linked to the local cloud, each with its bridge. */
export interface RunningDemo {
  endpoints: LocalCloudEndpoints;
  printers: DemoPrinter[];
  cloud: LocalCloud;
  bridges: BridgeGroup;
  stop(): Promise<void>;
}

/**
 * Starts the local cloud, one simulator per printer, links each printer with a link code minted
 * by the local cloud's operator API, and starts its bridge. Resolves once every bridge is
 * connected to the broker. Rejects with `replay_not_found` before starting anything when the
 * recording cannot be read, and with `broker_unreachable` when the bridges are not connected
 * within `brokerTimeoutMs`, after stopping everything it started.
 */
export async function startDemo(options: DemoOptions): Promise<RunningDemo> {
  if (options.replay !== undefined) await assertReadableRecording(options.replay);
  const cleanups: (() => Promise<void>)[] = [];
  const stop = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };

  try {
    const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'moonraker-owl-demo-')));
    if (!options.dataDir) cleanups.push(() => rm(dataDir, { recursive: true, force: true }));

    const cloud = await LocalCloud.start({
      clock: options.clock,
      logger: options.logger,
      ...(options.brokerUrl ? { broker: { kind: 'external', url: options.brokerUrl } } : {}),
    });
    cleanups.push(() => cloud.close());
    await options.onCloudStarted?.(cloud.endpoints);

    const targets = await linkSimulatedPrinters(options, cloud, cleanups);
    const bridges = new BridgeGroup({
      cloud: { baseUrl: cloud.endpoints.httpUrl, brokerUrl: cloud.endpoints.mqttUrl },
      dataDir,
      version: APP_VERSION,
      clock: options.clock,
      logger: options.logger,
      startSpacingMs: 0,
    });
    cleanups.push(() => bridges.stop());
    await bridges.start(targets);
    const timeoutMs = options.brokerTimeoutMs ?? DEFAULT_BROKER_TIMEOUT_MS;
    const connected = bridges.whenAllConnected();
    await withinBrokerTimeout(connected, cloud.endpoints.mqttUrl, options.clock, timeoutMs);

    const printers = targets.map((target) => ({
      name: target.name,
      deviceId: target.credentials.deviceId,
      moonrakerUrl: target.moonrakerUrl,
    }));
    return { endpoints: cloud.endpoints, printers, cloud, bridges, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function linkSimulatedPrinters(
  options: DemoOptions,
  cloud: LocalCloud,
  cleanups: (() => Promise<void>)[],
): Promise<BridgeTarget[]> {
  const operator = cloud.operator();
  const linker = new LinkClient({
    baseUrl: cloud.endpoints.httpUrl,
    clock: options.clock,
    logger: options.logger,
  });
  const targets: BridgeTarget[] = [];
  for (let index = 1; index <= options.printers; index += 1) {
    const name = `printer-${index}`;
    const simulator = new MoonrakerSimulator({
      mode: options.replay
        ? { kind: 'replay', file: options.replay, speed: options.speed }
        : { kind: 'scenario', name: options.scenario ?? 'printing', speed: options.speed },
      identity: { hostname: `owl-sim-${index}` },
      logger: options.logger,
      unknownCommand: 'respond',
    });
    const { url } = await simulator.start();
    cleanups.push(() => simulator.stop());

    const { code } = await operator.mintLinkCode();
    const linked = await linker.link(code);
    const credentials = credentialsFromLink(linked);
    targets.push({ name, moonrakerUrl: url, credentials });
    options.onPrinterLinked?.({ name, deviceId: credentials.deviceId, moonrakerUrl: url });
  }
  return targets;
}
