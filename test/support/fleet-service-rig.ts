import WebSocket from 'ws';

import { ControlClient } from '../../shared/control-api/control-client.js';
import { ControlError } from '../../shared/control-api/control-error.js';
import { sessionFromPageUrl } from '../../shared/control-api/control-session.js';
import {
  controlEvents,
  type ControlEventData,
  type ControlEventName,
} from '../../shared/control-api/events.js';
import type { PrinterSummary } from '../../shared/control-api/printer-views.js';
import type {
  ControlServer,
  ControlServerEndpoint,
} from '../../main/headless/control-server/control-server.js';
import { serveFleetService } from '../../main/headless/serve-fleet-service.js';
import type { LocalCloud } from '../../main/local-cloud/local-cloud.js';
import { FleetService, type FleetServiceOptions } from '../../main/service/fleet-service.js';
import { systemClock } from '../../main/support/clock.js';
import { LogBuffer } from '../../main/support/log-buffer.js';
import { createLogger, type LogLevel } from '../../main/support/logger.js';
import { APP_VERSION } from '../../main/version.js';
import { ArrivalLog } from './arrival-log.js';
import type { BridgeRig } from './bridge-rig.js';

/** One event the control client received, with its arrival time (`performance.now()`). */
export interface ReceivedControlEvent<E extends ControlEventName = ControlEventName> {
  readonly event: E;
  readonly data: ControlEventData<E>;
  readonly receivedAt: number;
}

export interface FleetServiceRigOptions {
  /** Data folder to start in; a new temp folder by default. */
  dataDir?: string;
  runtime?: FleetServiceOptions['runtime'];
  /** Level of the lines kept in `logBuffer`; info by default. */
  logLevel?: LogLevel;
  /**
   * Whether `events` keeps what the client receives; true by default. A large fleet sends
   * hundreds of summaries a second, which a test that does not read them need not keep.
   */
  recordEvents?: boolean;
}

/**
 * A fleet service wired as `moonraker-owl serve` wires it: the service, the control server on a
 * free loopback port with the click-to-link callback route, and a control client connected
 * through the page address the service would print. mDNS is always off, because it must never
 * run in the machine's own network namespace.
 */
export interface RunningFleetService {
  readonly service: FleetService;
  readonly server: ControlServer;
  readonly endpoint: ControlServerEndpoint;
  readonly client: ControlClient;
  readonly events: ArrivalLog<ReceivedControlEvent>;
  readonly logBuffer: LogBuffer;
  readonly dataDir: string;
}

/** Starts the service, its control server and a connected client; `rig` releases all three. */
export async function startFleetService(
  rig: BridgeRig,
  options: FleetServiceRigOptions = {},
): Promise<RunningFleetService> {
  const dataDir = options.dataDir ?? (await rig.tempDir('owl-service-'));
  const logBuffer = new LogBuffer();
  const logger = createLogger({
    level: options.logLevel ?? 'info',
    destination: logBuffer.stream(),
  });
  const service = await FleetService.open({
    dataDir,
    version: APP_VERSION,
    clock: systemClock,
    logger,
    logBuffer,
    discovery: { mdns: false },
    ...(options.runtime ? { runtime: options.runtime } : {}),
  });
  rig.defer(() => service.stop());

  const { server, endpoint } = await serveFleetService(service, {
    api: service.api,
    dataDir,
    logger,
  });
  rig.defer(() => server.close());

  const client = await connectClient(rig, endpoint);
  const events = new ArrivalLog<ReceivedControlEvent>(
    (item) => `${item.event} ${JSON.stringify(item.data).slice(0, 160)}`,
  );
  if (options.recordEvents ?? true) recordEvents(client, events);
  return { service, server, endpoint, client, events, logBuffer, dataDir };
}

/** Connects a control client the way the web UI does, from the printed page address. */
export async function connectClient(
  rig: BridgeRig,
  endpoint: Pick<ControlServerEndpoint, 'origin' | 'pageUrl'>,
): Promise<ControlClient> {
  const session = sessionFromPageUrl(endpoint.pageUrl);
  if (!session) throw new Error(`The page address ${endpoint.origin} carries no token`);
  const client = new ControlClient({
    url: session.socketUrl,
    token: session.token,
    WebSocket,
    // An invalid frame or a throwing listener fails the test run as an uncaught error.
    reportError: (message) => {
      throw new Error(`The control client reported: ${message}`);
    },
  });
  rig.defer(() => Promise.resolve(client.close()));
  await client.connect();
  return client;
}

/** Resolves with the `ControlError` that `call` rejects with, and fails when it succeeds. */
export async function controlFailure(call: Promise<unknown>): Promise<ControlError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ControlError) return error;
    throw error;
  }
  throw new Error('The control call succeeded, but it was expected to fail');
}

/** Points the service at the local cloud: link and token API, broker and add-printer page. */
export async function useLocalCloud(
  running: RunningFleetService,
  cloud: LocalCloud,
  brokerUrl = cloud.endpoints.mqttUrl,
): Promise<void> {
  const { httpUrl } = cloud.endpoints;
  await running.client.call('settings.update', {
    cloud: { baseUrl: httpUrl, brokerUrl, webUrl: httpUrl },
  });
}

/** Waits for a `printer.changed` event of one printer whose summary satisfies `predicate`. */
export function waitForSummary(
  running: RunningFleetService,
  printerId: string,
  predicate: (summary: PrinterSummary) => boolean,
  timeoutMs: number,
  description: string,
): Promise<PrinterSummary> {
  return running.events.waitFor(
    (items) => {
      for (let index = items.length - 1; index >= 0; index -= 1) {
        const item = items[index];
        if (item?.event !== 'printer.changed') continue;
        const summary = item.data as PrinterSummary;
        if (summary.id !== printerId) continue;
        return predicate(summary) ? summary : undefined;
      }
      return undefined;
    },
    timeoutMs,
    description,
  );
}

/**
 * Resolves once `condition` holds for the latest summary of every printer, checked after each
 * `printer.changed` event the service emits. Reads the service directly, so it works without
 * recorded client events.
 */
export function waitForFleet(
  running: RunningFleetService,
  condition: (summaries: readonly PrinterSummary[]) => boolean,
  timeoutMs: number,
  description: string,
): Promise<void> {
  const latest = new Map<string, PrinterSummary>();
  for (const summary of running.service.runtime.summaries()) latest.set(summary.id, summary);
  if (condition([...latest.values()])) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${description}`));
    }, timeoutMs);
    const subscription = running.service.onEvent((event, data) => {
      if (event !== 'printer.changed') return;
      const summary = data as PrinterSummary;
      latest.set(summary.id, summary);
      if (!condition([...latest.values()])) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve();
    });
  });
}

function recordEvents(client: ControlClient, log: ArrivalLog<ReceivedControlEvent>): void {
  // Log lines are left out, because the service logs far more than a test reads.
  for (const event of Object.keys(controlEvents) as ControlEventName[]) {
    if (event === 'log.line') continue;
    client.on(event, (data) => log.push({ event, data, receivedAt: performance.now() }));
  }
}
