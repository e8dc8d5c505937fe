import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import { COMMAND_SUBSCRIPTION_QOS, originOf } from '../../shared/contract/envelope.js';
import type { DeviceIdentity } from '../../shared/contract/envelope.js';
import { OFFLINE_REASON_SHUTDOWN, OFFLINE_REASON_WILL } from '../../shared/contract/status.js';
import { commandSubscription, disconnectEventTopic } from '../../shared/contract/topics.js';
import { CloudPublisher, outboxPublishVia } from '../cloud/cloud-publisher.js';
import type { ConnectedEvent, DisconnectedEvent } from '../cloud/connection-events.js';
import { DeviceConnection } from '../cloud/device-connection.js';
import { DeviceKey } from '../cloud/device-key.js';
import { DurableOutbox } from '../cloud/durable-outbox.js';
import { LatestValueBuffer } from '../cloud/latest-value-buffer.js';
import { TokenManager } from '../cloud/token-manager.js';
import type { PrinterStateView } from '../commands/command-context.js';
import { CommandProcessor } from '../commands/command-processor.js';
import { IdempotencyStore } from '../commands/idempotency-store.js';
import type { MoonrakerInput } from '../moonraker/input.js';
import { MoonrakerClient } from '../moonraker/moonraker-client.js';
import { settleWithin } from '../support/clock.js';
import { errorMessage } from '../support/coded-error.js';
import { DisposableStore } from '../support/disposable.js';
import type { Logger } from '../support/logger.js';
import { EnvelopeFactory } from '../telemetry/envelope-factory.js';
import { RateControl } from '../telemetry/rate-control.js';
import { TelemetryPipeline } from '../telemetry/telemetry-pipeline.js';
import type { PrinterBridgeOptions } from './bridge-options.js';
import { assertBridgeTransition, type BridgeState } from './bridge-state.js';
import { buildBridgeSnapshot, type BridgeSnapshot } from './bridge-snapshot.js';
import { buildDisconnectEvent } from './disconnect-event.js';
import { TelemetryRouter } from './telemetry-router.js';

/** How long a clean stop waits for queued acks and events to reach the broker. */
const STOP_DRAIN_TIMEOUT_MS = 3_000;

/** The parts of a running bridge, created together in `start()`. */
interface BridgeParts {
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

/**
 * One printer between Moonraker and Owl Cloud: telemetry up, commands down, acks once the
 * printer really did it. A planned reconnect for a renewed token keeps print tracking and pending
 * commands; losing Moonraker abandons pending commands, because the printer can no longer confirm
 * them.
 */
export class PrinterBridge {
  private currentState: BridgeState = 'idle';
  private parts: BridgeParts | undefined;
  private readonly disposables = new DisposableStore();
  private readonly logger: Logger;
  private readonly identity: DeviceIdentity;
  private lastDrop: (DisconnectedEvent & { at: number }) | undefined;

  constructor(private readonly options: PrinterBridgeOptions) {
    const { credentials } = options;
    this.identity = {
      deviceId: credentials.deviceId,
      ...(credentials.tenantId ? { tenantId: credentials.tenantId } : {}),
      printerId: credentials.printerId,
    };
    this.logger = options.logger.child({ printer: options.name, deviceId: credentials.deviceId });
  }

  get state(): BridgeState {
    return this.currentState;
  }

  get deviceId(): string {
    return this.identity.deviceId;
  }

  async start(): Promise<void> {
    this.transition('starting');
    try {
      this.parts = await this.createParts();
      this.wire(this.parts);
      this.parts.connection.start();
      this.parts.tokens.start();
      this.parts.moonraker.start();
      this.transition('running');
      this.logger.info('Bridge started');
    } catch (error) {
      this.transition('failed');
      this.logger.error({ err: errorMessage(error) }, 'Bridge failed to start');
      await this.release();
      throw error;
    }
  }

  /** Stops cleanly: abandons pending commands, drains the outbox briefly, sends Offline. */
  async stop(): Promise<void> {
    if (this.currentState === 'stopped' || this.currentState === 'stopping') return;
    if (this.currentState === 'idle') {
      this.transition('stopped');
      return;
    }
    this.transition('stopping');
    const parts = this.parts;
    if (parts) {
      parts.processor.abandonAll('shutdown');
      await parts.idempotency.flush();
      await settleWithin(this.options.clock, parts.outbox.drained(), STOP_DRAIN_TIMEOUT_MS);
      const finalMessage = JSON.stringify(parts.envelopes.offlineStatus(OFFLINE_REASON_SHUTDOWN));
      await parts.connection.stop({ finalMessage }).catch((error: unknown) => {
        this.logger.warn({ err: errorMessage(error) }, 'Stopping the MQTT connection failed');
      });
    }
    await this.release();
    this.transition('stopped');
    this.logger.info('Bridge stopped');
  }

  /** Resolves once the device is connected to the broker (at once when it already is). */
  whenCloudConnected(): Promise<void> {
    const connection = this.parts?.connection;
    if (!connection) return Promise.reject(new Error(`Bridge ${this.options.name} is not started`));
    if (connection.state === 'connected') return Promise.resolve();
    return new Promise((resolve) => {
      const subscription = connection.onConnected(() => {
        subscription.dispose();
        resolve();
      });
    });
  }

  snapshot(): BridgeSnapshot {
    return buildBridgeSnapshot(this.options.name, this.currentState, this.identity, this.parts);
  }

  private async createParts(): Promise<BridgeParts> {
    const { options, logger } = this;
    const { clock } = options;
    await mkdir(options.dataDir, { recursive: true, mode: 0o700 });

    const key = DeviceKey.fromBase64(options.credentials.devicePrivateKey);
    const tokens = this.own(
      new TokenManager({
        baseUrl: options.cloud.baseUrl,
        deviceId: this.identity.deviceId,
        key,
        clock,
        logger,
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(options.random ? { random: options.random } : {}),
      }),
    );
    const envelopes = new EnvelopeFactory({
      identity: this.identity,
      version: options.version,
      clock,
    });
    const telemetry = options.telemetry ?? {};
    const rate = this.own(
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
    const connection = this.own(
      new DeviceConnection({
        brokerUrl: options.cloud.brokerUrl,
        ...(options.cloud.useTls === undefined ? {} : { useTls: options.cloud.useTls }),
        ...(options.cloud.ca ? { ca: options.cloud.ca } : {}),
        deviceId: this.identity.deviceId,
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
      }),
    );
    const outbox = this.own(
      await DurableOutbox.open({
        folder: join(options.dataDir, 'outbox'),
        publish: outboxPublishVia(connection),
        clock,
        logger,
      }),
    );
    const publisher = this.own(
      new CloudPublisher({ connection, latest: new LatestValueBuffer(logger), outbox, logger }),
    );
    const router = new TelemetryRouter(
      this.identity.deviceId,
      publisher,
      () => envelopes.traceparent(),
      logger,
    );
    const moonraker = this.own(
      new MoonrakerClient({
        url: options.moonraker.url,
        ...(options.moonraker.apiKey ? { apiKey: options.moonraker.apiKey } : {}),
        clock,
        logger,
        ...(options.random ? { random: options.random } : {}),
      }),
    );
    const pipeline = this.own(
      new TelemetryPipeline({
        clock,
        envelopes,
        rate,
        logger,
        sink: (channel, envelope) => router.sendEnvelope(channel, envelope),
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
    const idempotency = this.own(
      await IdempotencyStore.open({
        path: join(options.dataDir, 'idempotency.json'),
        clock,
        logger,
      }),
    );
    const processor = this.own(
      new CommandProcessor({
        identity: () => this.identity,
        origin: originOf(options.version),
        context: {
          actions: moonraker,
          state: this.stateView(moonraker, pipeline),
          telemetry: { applyRate: (request) => pipeline.applyRate(request) },
        },
        idempotency,
        output: {
          publishAck: (topicName, ack) => router.sendAck(topicName, ack),
          recordCommandState: (item) => pipeline.recordCommandState(item),
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

  private wire(parts: BridgeParts): void {
    const { connection, moonraker, pipeline, processor } = parts;
    this.disposables.add(
      pipeline.onPrintStateChange((change) => processor.onPrintState(change.state)),
    );
    this.disposables.add(moonraker.onInput((input) => this.onMoonrakerInput(parts, input)));
    this.disposables.add(
      connection.onMessage((topic, payload) => void processor.handleMessage(topic, payload)),
    );
    this.disposables.add(
      connection.subscribe(commandSubscription(this.deviceId), COMMAND_SUBSCRIPTION_QOS),
    );
    this.disposables.add(connection.onConnected((event) => this.onConnected(parts, event)));
    this.disposables.add(
      connection.onDisconnected((event) => {
        if (event.cause !== 'token_renewed')
          this.lastDrop = { ...event, at: this.options.clock.now() };
      }),
    );
  }

  private onMoonrakerInput(parts: BridgeParts, input: MoonrakerInput): void {
    parts.pipeline.ingest(input);
    if (input.kind === 'availability' && !input.available) {
      parts.processor.abandonAll('moonraker unavailable');
    }
  }

  private onConnected(parts: BridgeParts, event: ConnectedEvent): void {
    if (event.planned) return;
    parts.pipeline.republish();
    const drop = this.lastDrop;
    this.lastDrop = undefined;
    if (!drop) return;
    const body = buildDisconnectEvent({
      identity: this.identity,
      version: this.options.version,
      droppedAt: drop.at,
      cause: drop.cause === 'token_renewed' ? 'connection_lost' : drop.cause,
      reasonCode: drop.reasonCode,
      now: this.options.clock.now(),
    });
    parts.router.sendDurable(disconnectEventTopic(this.deviceId), body, 1);
  }

  private stateView(moonraker: MoonrakerClient, pipeline: TelemetryPipeline): PrinterStateView {
    return {
      printStatsState: () => {
        const state = pipeline.model.store.get('print_stats')?.['state'];
        return typeof state === 'string' ? state : undefined;
      },
      availableHeaters: () => moonraker.capabilities?.heaters,
      objectNames: () => moonraker.capabilities?.objects ?? [],
    };
  }

  private own<T extends { dispose(): void }>(item: T): T {
    return this.disposables.add(item);
  }

  private async release(): Promise<void> {
    const parts = this.parts;
    this.disposables.dispose();
    if (parts) await parts.outbox.close().catch(() => undefined);
  }

  private transition(next: BridgeState): void {
    assertBridgeTransition(this.currentState, next);
    this.currentState = next;
  }
}
