import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import { originOf } from '../../shared/contract/envelope.js';
import type { DeviceIdentity } from '../../shared/contract/envelope.js';
import { OFFLINE_REASON_WILL } from '../../shared/contract/status.js';
import { CloudPublisher, outboxPublishVia } from '../cloud/cloud-publisher.js';
import { DeviceConnection } from '../cloud/device-connection.js';
import { DeviceKey } from '../cloud/device-key.js';
import { DurableOutbox } from '../cloud/durable-outbox.js';
import { LatestValueBuffer } from '../cloud/latest-value-buffer.js';
import { TokenManager } from '../cloud/token-manager.js';
import type { PrinterStateView } from '../commands/command-context.js';
import { CommandProcessor } from '../commands/command-processor.js';
import { IdempotencyStore } from '../commands/idempotency-store.js';
import { MoonrakerClient } from '../moonraker/moonraker-client.js';
import type { Clock } from '../support/clock.js';
import type { Disposable } from '../support/disposable.js';
import type { Logger } from '../support/logger.js';
import { EnvelopeFactory } from '../telemetry/envelope-factory.js';
import { RateControl } from '../telemetry/rate-control.js';
import { TelemetryPipeline } from '../telemetry/telemetry-pipeline.js';
import type { PrinterBridgeOptions } from './bridge-options.js';
import type { BridgeChangeKind } from './bridge-events.js';
import type { CommandHistory } from './command-history.js';
import { TelemetryRouter } from './telemetry-router.js';

/** The parts of a running bridge, created together in `start()`. */
export interface BridgeParts {
  moonraker: MoonrakerClient;
  tokens: TokenManager;
  connection: DeviceConnection;
  outbox: DurableOutbox;
  publisher: CloudPublisher;
  router: TelemetryRouter;
  envelopes: EnvelopeFactory;
  rate: RateControl;
  pipeline: TelemetryPipeline;
  idempotency: IdempotencyStore;
  processor: CommandProcessor;
}

/** Services the bridge lends its parts: its guarded clock, its logger and its bookkeeping. */
export interface PartsContext {
  identity: DeviceIdentity;
  clock: Clock;
  logger: Logger;
  history: CommandHistory;
  /** Takes ownership of a part, which the bridge disposes when it stops. */
  own<T extends Disposable>(item: T): T;
  /** Wraps a callback so that what it throws becomes a fault of this bridge. */
  guard<Args extends unknown[]>(
    source: string,
    callback: (...args: Args) => void,
  ): (...args: Args) => void;
  changed(kind: BridgeChangeKind): void;
}

export async function createBridgeParts(
  options: PrinterBridgeOptions,
  context: PartsContext,
): Promise<BridgeParts> {
  const { clock, logger, identity, own } = context;
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });

  const key = DeviceKey.fromBase64(options.credentials.devicePrivateKey);
  const tokens = own(
    new TokenManager({
      baseUrl: options.cloud.baseUrl,
      deviceId: identity.deviceId,
      key,
      clock,
      logger,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.random ? { random: options.random } : {}),
    }),
  );
  const envelopes = new EnvelopeFactory({
    identity,
    version: options.version,
    clock,
  });
  const telemetry = options.telemetry ?? {};
  const rate = own(
    new RateControl({
      clock,
      logger,
      settings: {
        ...(telemetry.sensorsIntervalSeconds
          ? { idleIntervalSeconds: telemetry.sensorsIntervalSeconds }
          : {}),
        ...(telemetry.sensorsMinIntervalSeconds
          ? { sensorsMinIntervalSeconds: telemetry.sensorsMinIntervalSeconds }
          : {}),
      },
    }),
  );
  const connection = own(
    new DeviceConnection({
      brokerUrl: options.cloud.brokerUrl,
      ...(options.cloud.useTls === undefined ? {} : { useTls: options.cloud.useTls }),
      ...(options.cloud.ca ? { ca: options.cloud.ca } : {}),
      deviceId: identity.deviceId,
      tokens,
      clock,
      logger,
      ...(options.random ? { random: options.random } : {}),
      willPayload: () => JSON.stringify(envelopes.offlineStatus(OFFLINE_REASON_WILL)),
      ...(options.sessionExpirySeconds === undefined
        ? {}
        : { sessionExpirySeconds: options.sessionExpirySeconds }),
      ...(options.reconnect ? { reconnect: options.reconnect } : {}),
      ...(options.mqttConnect ? { mqttConnect: options.mqttConnect } : {}),
      ...(options.connectGate ? { connectGate: options.connectGate } : {}),
    }),
  );
  const outbox = own(
    await DurableOutbox.open({
      folder: join(options.dataDir, 'outbox'),
      publish: outboxPublishVia(connection),
      clock,
      logger,
    }),
  );
  const publisher = own(
    new CloudPublisher({ connection, latest: new LatestValueBuffer(logger), outbox, logger }),
  );
  const router = new TelemetryRouter(
    identity.deviceId,
    publisher,
    () => envelopes.traceparent(),
    logger,
  );
  const moonraker = own(
    new MoonrakerClient({
      url: options.moonraker.url,
      ...(options.moonraker.apiKey ? { apiKey: options.moonraker.apiKey } : {}),
      clock,
      logger,
      ...(options.random ? { random: options.random } : {}),
    }),
  );
  const pipeline = own(
    new TelemetryPipeline({
      clock,
      envelopes,
      rate,
      logger,
      sink: context.guard('telemetry sink', (channel, envelope) =>
        router.sendEnvelope(channel, envelope),
      ),
      fetchMetadata: (filename) => moonraker.fileMetadata(filename),
      settings: {
        ...(telemetry.statusHeartbeatSeconds
          ? { statusHeartbeatSeconds: telemetry.statusHeartbeatSeconds }
          : {}),
        ...(telemetry.statusMinIntervalSeconds
          ? { statusMinIntervalSeconds: telemetry.statusMinIntervalSeconds }
          : {}),
        ...(telemetry.sensorFilter ? { sensorFilter: telemetry.sensorFilter } : {}),
      },
    }),
  );
  const idempotency = own(
    await IdempotencyStore.open({
      path: join(options.dataDir, 'idempotency.json'),
      clock,
      logger,
    }),
  );
  const processor = own(
    new CommandProcessor({
      identity: () => identity,
      origin: originOf(options.version),
      context: {
        actions: moonraker,
        state: stateView(moonraker, pipeline),
        telemetry: { applyRate: (request) => pipeline.applyRate(request) },
      },
      idempotency,
      output: {
        publishAck: (topicName, ack) => {
          router.sendAck(topicName, ack);
          context.history.noteAck(topicName, ack);
          context.changed('commands');
        },
        recordCommandState: (item) => {
          pipeline.recordCommandState(item);
          context.history.noteState(item);
          context.changed('commands');
        },
      },
      clock,
      logger,
      ...(options.commandStateTimeoutSeconds
        ? { stateTimeoutSeconds: options.commandStateTimeoutSeconds }
        : {}),
    }),
  );
  return {
    router,
    moonraker,
    tokens,
    connection,
    outbox,
    publisher,
    envelopes,
    rate,
    pipeline,
    idempotency,
    processor,
  };
}

function stateView(moonraker: MoonrakerClient, pipeline: TelemetryPipeline): PrinterStateView {
  return {
    printStatsState: () => {
      const state = pipeline.model.store.get('print_stats')?.['state'];
      return typeof state === 'string' ? state : undefined;
    },
    availableHeaters: () => moonraker.capabilities?.heaters,
    objectNames: () => moonraker.capabilities?.objects ?? [],
  };
}
