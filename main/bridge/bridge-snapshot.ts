import type { DeviceIdentity } from '../../shared/contract/envelope.js';
import type { PrinterPhase } from '../../shared/contract/status.js';
import type { ConnectFailure } from '../cloud/connect-failure.js';
import type { DisconnectCause } from '../cloud/connection-events.js';
import type { DeviceConnection } from '../cloud/device-connection.js';
import type { DurableOutbox, OutboxStats } from '../cloud/durable-outbox.js';
import type { CommandProcessor } from '../commands/command-processor.js';
import type { MoonrakerClient } from '../moonraker/moonraker-client.js';
import type { SensorMode } from '../../shared/contract/sensors.js';
import type { RateControl } from '../telemetry/rate-control.js';
import type { SensorFilterSettings } from '../telemetry/sensor-filter.js';
import type { TelemetryPipeline } from '../telemetry/telemetry-pipeline.js';
import type { BridgeState } from './bridge-state.js';
import {
  klippyFacts,
  temperatureReadings,
  type KlippyFacts,
  type TemperatureReading,
} from './printer-facts.js';

/** The broker side of a bridge. */
export interface MqttFacts {
  state: string;
  brokerUrl: string;
  /** Failure of the latest connect attempt, while none has succeeded since. */
  lastFailure?: ConnectFailure;
  /** The latest unplanned drop, with its wall-clock time in epoch milliseconds. */
  lastDisconnect?: { cause: DisconnectCause; reasonCode: number; at: number };
}

/** The Moonraker side of a bridge. */
export interface MoonrakerFacts {
  state: string;
  url: string;
  apiKeyConfigured: boolean;
  /** The latest failure, cleared once the connection is ready again. */
  failure?: { code: string; message: string; at: number };
  /** Wait before the next attempt while in `backoff`, in milliseconds. */
  retryInMs?: number;
  version?: string;
}

/** What one bridge looks like right now, for logs, the health endpoint and local views. */
export interface BridgeSnapshot {
  name: string;
  state: BridgeState;
  deviceId: string;
  printerId?: string;
  /** Cloud base URL, where tokens are requested. */
  cloudUrl: string;
  mqtt: MqttFacts;
  moonraker: MoonrakerFacts;
  /** Present once Moonraker responded to a probe. */
  klippy?: KlippyFacts;
  printer?: {
    phase: PrinterPhase;
    reason?: string;
    job?: string;
    progressPercent?: number;
    remainingSeconds?: number;
    layers?: { current?: number; total?: number };
  };
  temperatures?: TemperatureReading[];
  telemetry?: { mode: SensorMode; intervalSeconds: number; expiresAt?: number };
  sensorsMode?: string;
  outbox?: OutboxStats;
  commandsInFlight?: number;
}

/** Facts the bridge keeps itself, beside its parts. */
export interface SnapshotContext {
  name: string;
  state: BridgeState;
  identity: DeviceIdentity;
  moonrakerUrl: string;
  apiKeyConfigured: boolean;
  cloud: { baseUrl: string; brokerUrl: string };
  sensorFilter?: Partial<SensorFilterSettings>;
  lastDisconnect?: MqttFacts['lastDisconnect'];
  moonrakerRetryInMs?: number;
}

export interface SnapshotParts {
  moonraker: MoonrakerClient;
  connection: DeviceConnection;
  outbox: DurableOutbox;
  pipeline: TelemetryPipeline;
  rate: RateControl;
  processor: CommandProcessor;
}

export function buildBridgeSnapshot(
  context: SnapshotContext,
  parts: SnapshotParts | undefined,
): BridgeSnapshot {
  const { identity } = context;
  const base: BridgeSnapshot = {
    name: context.name,
    state: context.state,
    deviceId: identity.deviceId,
    ...(identity.printerId ? { printerId: identity.printerId } : {}),
    cloudUrl: context.cloud.baseUrl,
    mqtt: mqttFacts(context, parts?.connection),
    moonraker: moonrakerFacts(context, parts?.moonraker),
  };
  if (!parts) return base;

  const { moonraker, pipeline, rate } = parts;
  const klippy =
    moonraker.state === 'ready'
      ? klippyFacts(pipeline.model.store, moonraker.capabilities)
      : undefined;
  if (klippy) base.klippy = klippy;
  const store = pipeline.model.store;
  if (store.objectNames().length > 0) {
    base.printer = printerFacts(pipeline);
    base.temperatures = temperatureReadings(store, context.sensorFilter);
  } else if (store.moonrakerUnavailable !== null) {
    // A Moonraker that has not responded since the bridge started reads Offline with its cause,
    // not as a printer without a phase.
    base.printer = printerFacts(pipeline);
  }
  const current = rate.rate;
  base.telemetry = {
    mode: current.mode,
    intervalSeconds: current.intervalSeconds,
    ...(current.expiresAt === undefined ? {} : { expiresAt: current.expiresAt }),
  };
  base.sensorsMode = current.mode;
  base.outbox = parts.outbox.stats();
  base.commandsInFlight = parts.processor.inFlightCount;
  return base;
}

function mqttFacts(context: SnapshotContext, connection: DeviceConnection | undefined): MqttFacts {
  const facts: MqttFacts = {
    state: connection?.state ?? 'idle',
    brokerUrl: context.cloud.brokerUrl,
  };
  const failure = connection?.lastConnectFailure;
  if (failure) facts.lastFailure = { ...failure };
  if (context.lastDisconnect) facts.lastDisconnect = { ...context.lastDisconnect };
  return facts;
}

function moonrakerFacts(
  context: SnapshotContext,
  moonraker: MoonrakerClient | undefined,
): MoonrakerFacts {
  const facts: MoonrakerFacts = {
    state: moonraker?.state ?? 'idle',
    url: context.moonrakerUrl,
    apiKeyConfigured: context.apiKeyConfigured,
  };
  const failure = moonraker?.lastFailure;
  if (failure) facts.failure = { code: failure.code, message: failure.message, at: failure.at };
  if (facts.state === 'backoff' && context.moonrakerRetryInMs !== undefined) {
    facts.retryInMs = context.moonrakerRetryInMs;
  }
  const version = moonraker?.capabilities?.serverInfo.moonraker_version;
  if (version) facts.version = version;
  return facts;
}

function printerFacts(pipeline: TelemetryPipeline): NonNullable<BridgeSnapshot['printer']> {
  const status = pipeline.model.status.build({ heartbeatSeconds: 60, watchWindowActive: false });
  const { lifecycle, job } = status;
  const remaining = job?.progress.estimatedTimeRemainingSeconds;
  return {
    phase: lifecycle.phase,
    ...(lifecycle.reason ? { reason: lifecycle.reason } : {}),
    ...(job?.name ? { job: job.name } : {}),
    ...(job?.progressPercent === undefined ? {} : { progressPercent: job.progressPercent }),
    ...(remaining === undefined ? {} : { remainingSeconds: remaining }),
    ...(job?.layers ? { layers: { ...job.layers } } : {}),
  };
}
