import { COMMAND_SUBSCRIPTION_QOS } from '../../shared/contract/envelope.js';
import type { DeviceIdentity } from '../../shared/contract/envelope.js';
import type { BusinessEvent } from '../../shared/contract/events.js';
import { OFFLINE_REASON_SHUTDOWN } from '../../shared/contract/status.js';
import type {
  TelemetryRateRequest,
  TelemetryRateResult,
} from '../../shared/contract/telemetry-rate.js';
import { commandSubscription, disconnectEventTopic } from '../../shared/contract/topics.js';
import type { ConnectedEvent, DisconnectedEvent } from '../cloud/connection-events.js';
import type { MoonrakerInput } from '../moonraker/input.js';
import { settleWithin, type Clock } from '../support/clock.js';
import { CodedError, errorMessage } from '../support/coded-error.js';
import { DisposableStore, type Disposable } from '../support/disposable.js';
import type { Logger } from '../support/logger.js';
import {
  BridgeEvents,
  guardCallback,
  guardClock,
  type BridgeChangeKind,
  type BridgeFault,
} from './bridge-events.js';
import type { PrinterBridgeOptions } from './bridge-options.js';
import { createBridgeParts, type BridgeParts } from './bridge-parts.js';
import { assertBridgeTransition, type BridgeState } from './bridge-state.js';
import { buildBridgeSnapshot, type BridgeSnapshot, type MqttFacts } from './bridge-snapshot.js';
import { CommandHistory, type CommandRecord } from './command-history.js';
import { buildDisconnectEvent } from './disconnect-event.js';

/** How long a clean stop waits for queued acks and events to reach the broker. */
const STOP_DRAIN_TIMEOUT_MS = 3_000;

/**
 * One printer between Moonraker and Owl Cloud: telemetry up, commands down, acks once the
 * printer really did it. A planned reconnect for a renewed token keeps print tracking and pending
 * commands. Losing Moonraker abandons pending commands, because the printer can no longer confirm
 * them. Every callback the bridge installs and every timer it sets runs guarded: an exception is
 * logged, reported through `onFault`, and moves a running bridge to `failed`, and it never
 * reaches the emitter, socket or timer queue that other printers share.
 */
export class PrinterBridge {
  private currentState: BridgeState = 'idle';
  private parts: BridgeParts | undefined;
  private readonly disposables = new DisposableStore();
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly identity: DeviceIdentity;
  private readonly events: BridgeEvents;
  private readonly history: CommandHistory;
  private lastDrop: NonNullable<MqttFacts['lastDisconnect']> | undefined;
  private pendingDrop: NonNullable<MqttFacts['lastDisconnect']> | undefined;
  private moonrakerRetryInMs: number | undefined;

  constructor(private readonly options: PrinterBridgeOptions) {
    const { credentials } = options;
    this.identity = {
      deviceId: credentials.deviceId,
      ...(credentials.tenantId ? { tenantId: credentials.tenantId } : {}),
      printerId: credentials.printerId,
    };
    this.logger = options.logger.child({ printer: options.name, deviceId: credentials.deviceId });
    this.events = new BridgeEvents(this.logger);
    this.clock = guardClock(options.clock, (fault) => this.reportFault(fault));
    this.history = options.commandHistory ?? new CommandHistory(() => options.clock.now());
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
      this.parts = await createBridgeParts(this.options, this.partsContext());
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
      this.parts = undefined;
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
    this.events.clear();
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
    const { options } = this;
    return buildBridgeSnapshot(
      {
        name: options.name,
        state: this.currentState,
        identity: this.identity,
        moonrakerUrl: options.moonraker.url,
        apiKeyConfigured: Boolean(options.moonraker.apiKey),
        cloud: { baseUrl: options.cloud.baseUrl, brokerUrl: options.cloud.brokerUrl },
        ...(options.telemetry?.sensorFilter
          ? { sensorFilter: options.telemetry.sensorFilter }
          : {}),
        ...(this.lastDrop ? { lastDisconnect: this.lastDrop } : {}),
        ...(this.moonrakerRetryInMs === undefined
          ? {}
          : { moonrakerRetryInMs: this.moonrakerRetryInMs }),
      },
      this.parts,
    );
  }

  /** Returns the latest business events, oldest first, and none while not started. */
  recentEvents(): readonly BusinessEvent[] {
    return this.parts?.pipeline.recent() ?? [];
  }

  /** Returns the latest commands with their acks, oldest first. */
  commandHistory(): CommandRecord[] {
    return this.history.list();
  }

  /**
   * Applies a sensors rate as a `control:set-telemetry-rate` command would, for the local UI.
   * Throws `bridge_not_running` unless the bridge runs.
   */
  setTelemetryRate(request: TelemetryRateRequest): TelemetryRateResult {
    const parts = this.parts;
    if (!parts || this.currentState !== 'running') {
      throw new CodedError(
        'bridge_not_running',
        `Cannot set the telemetry rate of ${this.options.name}: its bridge is ${this.currentState}`,
      );
    }
    return parts.pipeline.applyRate(request);
  }

  /** Reports what may have changed in the snapshot; listeners should coalesce, it fires often. */
  onChange(listener: (kind: BridgeChangeKind) => void): Disposable {
    return this.events.onChange(listener);
  }

  /** Reports an exception thrown by one of the bridge's callbacks or timers. */
  onFault(listener: (fault: BridgeFault) => void): Disposable {
    return this.events.onFault(listener);
  }

  private partsContext() {
    return {
      identity: this.identity,
      clock: this.clock,
      logger: this.logger,
      history: this.history,
      own: <T extends Disposable>(item: T): T => this.disposables.add(item),
      guard: <Args extends unknown[]>(source: string, callback: (...args: Args) => void) =>
        this.guard(source, callback),
      changed: (kind: BridgeChangeKind) => this.events.emitChange(kind),
    };
  }

  private wire(parts: BridgeParts): void {
    const { pipeline, processor, rate } = parts;
    const add = (item: Disposable): void => void this.disposables.add(item);
    add(
      pipeline.onPrintStateChange(
        this.guard('print state', (change) => processor.onPrintState(change.state)),
      ),
    );
    add(rate.onChange(this.guard('telemetry rate', () => this.events.emitChange('rate'))));
    this.wireMoonraker(parts, add);
    this.wireConnection(parts, add);
  }

  private wireMoonraker(parts: BridgeParts, add: (item: Disposable) => void): void {
    const { moonraker } = parts;
    add(moonraker.onInput(this.guard('moonraker input', (input) => this.onInput(parts, input))));
    add(
      moonraker.onStateChange(
        this.guard('moonraker state', (change) => {
          this.moonrakerRetryInMs = change.retryInMs ?? undefined;
          this.events.emitChange('moonraker');
        }),
      ),
    );
  }

  private wireConnection(parts: BridgeParts, add: (item: Disposable) => void): void {
    const { connection, processor } = parts;
    const onMessage = (topic: string, payload: Buffer): void =>
      void processor.handleMessage(topic, payload);
    add(connection.onMessage(this.guard('mqtt message', onMessage)));
    add(connection.subscribe(commandSubscription(this.deviceId), COMMAND_SUBSCRIPTION_QOS));

    const onConnected = (event: ConnectedEvent): void => this.onConnected(parts, event);
    add(connection.onConnected(this.guard('mqtt connected', onConnected)));
    add(connection.onDisconnected(this.guard('mqtt disconnected', (event) => this.onDrop(event))));

    const mqttChanged = this.guard('mqtt state', () => this.events.emitChange('mqtt'));
    add(connection.onStateChange(mqttChanged));
    add(connection.onConnectFailed(mqttChanged));
  }

  private onDrop(event: DisconnectedEvent): void {
    if (event.cause === 'token_renewed') return;
    const drop = { cause: event.cause, reasonCode: event.reasonCode, at: this.clock.now() };
    this.lastDrop = drop;
    this.pendingDrop = drop;
  }

  private onInput(parts: BridgeParts, input: MoonrakerInput): void {
    parts.pipeline.ingest(input);
    if (input.kind === 'availability' && !input.available) {
      parts.processor.abandonAll('moonraker unavailable');
    }
    this.events.emitChange('printer');
  }

  private onConnected(parts: BridgeParts, event: ConnectedEvent): void {
    if (event.planned) return;
    parts.pipeline.republish();
    const drop = this.pendingDrop;
    this.pendingDrop = undefined;
    if (!drop) return;
    const body = buildDisconnectEvent({
      identity: this.identity,
      version: this.options.version,
      droppedAt: drop.at,
      cause: drop.cause === 'token_renewed' ? 'connection_lost' : drop.cause,
      reasonCode: drop.reasonCode,
      now: this.clock.now(),
    });
    parts.router.sendDurable(disconnectEventTopic(this.deviceId), body, 1);
  }

  private guard<Args extends unknown[]>(
    source: string,
    callback: (...args: Args) => void,
  ): (...args: Args) => void {
    return guardCallback(source, callback, (fault) => this.reportFault(fault));
  }

  /** Logs the fault with this printer's ids and fails a running bridge, so its owner restarts it. */
  private reportFault(fault: BridgeFault): void {
    this.logger.error(
      { source: fault.source, err: errorMessage(fault.error), state: this.currentState },
      'A bridge callback threw; the bridge is marked failed',
    );
    this.events.emitFault(fault);
    if (this.currentState === 'running') this.transition('failed');
  }

  private async release(): Promise<void> {
    const parts = this.parts;
    this.disposables.dispose();
    if (parts) await parts.outbox.close().catch(() => undefined);
  }

  private transition(next: BridgeState): void {
    assertBridgeTransition(this.currentState, next);
    this.currentState = next;
    this.events.emitChange('state');
  }
}
