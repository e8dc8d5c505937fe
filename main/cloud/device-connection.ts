import type { IDisconnectPacket, IPublishPacket } from 'mqtt';
import type { QoS } from 'mqtt-packet';

import { channelTopic } from '../../shared/contract/topics.js';
import type { Clock } from '../support/clock.js';
import { CodedError } from '../support/coded-error.js';
import type { Disposable } from '../support/disposable.js';
import type { Logger } from '../support/logger.js';
import { connectFailureOf, type ConnectFailure } from './connect-failure.js';
import { connectWithRetry, type ConnectLoopOptions } from './connect-loop.js';
import {
  causeOfDrop,
  type ConnectedEvent,
  type DisconnectCause,
  type DisconnectedEvent,
  type ReconnectReason,
} from './connection-events.js';
import { assertTransition, type ConnectionState } from './connection-state.js';
import { ConnectionStats, type ConnectionStatsSnapshot } from './connection-stats.js';
import { withDeadline } from './deadline.js';
import { DeviceClientOpener } from './device-client-opener.js';
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_SESSION_EXPIRY_SECONDS,
  DEFAULT_STOP_TIMEOUT_MS,
  type DeviceConnectionOptions,
  type StopOptions,
} from './device-connection-options.js';
import { DeviceConnectionEvents, type MessageListener } from './device-connection-events.js';
import { InFlightPublishes } from './in-flight-publishes.js';
import { connectWithMqttJs, type MqttClientHandle } from './mqtt-client-handle.js';
import {
  closeMqttClient,
  connectionClosedError,
  publishOnClient,
  type PublishOptions,
} from './mqtt-client-operations.js';
import { parseBrokerUrl } from './mqtt-client-options.js';
import type { OpenedClient } from './mqtt-connect-attempt.js';
import { RateLimitedLog } from './rate-limited-log.js';
import { SubscriptionRegistry } from './subscription-registry.js';

export type { ConnectFailure } from './connect-failure.js';
export type { MessageListener } from './device-connection-events.js';
export type { DeviceConnectionOptions, StopOptions } from './device-connection-options.js';

/**
 * The MQTT 5 connection of one device. Every connect uses a new MQTT.js client, so the newest
 * JWT is presented. The connection never gives up: failed attempts are retried on a
 * `ReconnectSchedule`, also before the first connection. Message listeners are installed on each
 * client before CONNECT, and registered subscriptions are replayed after each connect, before
 * `onConnected` fires.
 */
export class DeviceConnection implements Disposable {
  private connectionState: ConnectionState = 'idle';
  private client: MqttClientHandle | null = null;
  /** Reason code of the broker's DISCONNECT on the current client, if it sent one. */
  private brokerDisconnectCode: number | undefined;
  /** Failure of the latest connect attempt, cleared once a connection is made. */
  private connectFailure: ConnectFailure | undefined;
  private loop: Promise<void> | null = null;
  private stopping: Promise<void> | null = null;
  private tokenRenewal: Disposable | null = null;
  private readonly loopAbort = new AbortController();
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly stopTimeoutMs: number;
  private readonly connectTimeoutMs: number;
  private readonly stats: ConnectionStats;
  private readonly log: RateLimitedLog;
  private readonly loopOptions: ConnectLoopOptions;
  private readonly events: DeviceConnectionEvents;
  private readonly inFlight = new InFlightPublishes();
  private readonly subscriptions: SubscriptionRegistry;

  /** Throws `invalid_broker_url` when `brokerUrl` is not an mqtt:// or mqtts:// URL. */
  constructor(private readonly options: DeviceConnectionOptions) {
    this.clock = options.clock;
    // The bridge's logger already binds the device id, and pino would write a second binding.
    const deviceBound = options.logger.bindings()['deviceId'] !== undefined;
    this.logger = options.logger.child({
      component: 'mqtt',
      ...(deviceBound ? {} : { deviceId: options.deviceId }),
    });
    this.stopTimeoutMs = options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
    this.connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    this.stats = new ConnectionStats(this.clock);
    this.log = new RateLimitedLog(this.logger, this.clock);
    this.events = new DeviceConnectionEvents(this.logger);
    this.subscriptions = new SubscriptionRegistry({
      logger: this.logger,
      clock: this.clock,
      replayTimeoutMs: this.connectTimeoutMs,
      connectedClient: () => this.connectedClient(),
    });
    this.loopOptions = this.createLoopOptions();
  }

  get state(): ConnectionState {
    return this.connectionState;
  }

  get deviceId(): string {
    return this.options.deviceId;
  }

  /** Why the latest connect attempt failed, while no connection has been made since. */
  get lastConnectFailure(): ConnectFailure | undefined {
    return this.connectFailure;
  }

  /** Starts connecting in the background. Progress is reported through the events. */
  start(): void {
    if (this.connectionState !== 'idle') {
      throw new CodedError(
        'already_started',
        `Device connection is already ${this.connectionState}`,
      );
    }
    this.tokenRenewal = this.options.tokens.onRenewed(() => this.requestReconnect('token_renewed'));
    this.setState('connecting');
    this.runLoop(this.connectAndAdopt(undefined));
  }

  /**
   * Replaces the client: the old one is closed gracefully (its DISCONNECT discards the Will) and
   * a new one connects at once. Ignored unless connected, because a connection being made
   * presents the newest token anyway.
   */
  requestReconnect(reason: ReconnectReason): void {
    if (this.connectionState !== 'connected') {
      this.logger.debug({ reason, state: this.connectionState }, 'reconnect request ignored');
      return;
    }
    this.beginReconnect(reason, 0);
  }

  /** Register before `start()`, so messages the broker queued in the session are not lost. */
  onMessage(listener: MessageListener): Disposable {
    return this.events.message.add(listener);
  }

  onStateChange(listener: (state: ConnectionState, previous: ConnectionState) => void): Disposable {
    return this.events.stateChange.add(listener);
  }

  onConnected(listener: (event: ConnectedEvent) => void): Disposable {
    return this.events.connected.add(listener);
  }

  onDisconnected(listener: (event: DisconnectedEvent) => void): Disposable {
    return this.events.disconnected.add(listener);
  }

  /** Called after every failed connect attempt, with the failure `lastConnectFailure` reports. */
  onConnectFailed(listener: (failure: ConnectFailure) => void): Disposable {
    return this.events.connectFailed.add(listener);
  }

  /** Subscribes now when connected, and again after every reconnect until disposed. */
  subscribe(filter: string, qos: QoS): Disposable {
    return this.subscriptions.add(filter, qos);
  }

  /**
   * Resolves when the broker acknowledged the message (when written, for QoS 0). Rejects with
   * `not_connected` while not connected, and with `publish_failed` otherwise.
   */
  publish(topic: string, payload: Buffer | string, options: PublishOptions): Promise<void> {
    const client = this.connectedClient();
    if (!client) {
      const message = `Cannot publish to ${topic}: the MQTT connection is ${this.connectionState}`;
      const details = { topic, state: this.connectionState };
      return Promise.reject(new CodedError('not_connected', message, { details }));
    }
    return this.inFlight.track(client, topic, publishOnClient(client, topic, payload, options));
  }

  statsSnapshot(): ConnectionStatsSnapshot {
    return this.stats.snapshot(this.connectionState);
  }

  /**
   * Stops for good: publishes `finalMessage` retained on the status topic when connected, then
   * sends DISCONNECT so the broker discards the Will. Each step has `stopTimeoutMs`, after which
   * the socket is destroyed. Calling it again returns the same promise.
   */
  stop(options: StopOptions = {}): Promise<void> {
    this.stopping ??= this.performStop(options.finalMessage);
    return this.stopping;
  }

  dispose(): void {
    void this.stop();
  }

  private async performStop(finalMessage: Buffer | string | undefined): Promise<void> {
    this.tokenRenewal?.dispose();
    const client = this.connectedClient();
    if (this.connectionState !== 'idle') {
      this.setState('stopping');
      this.loopAbort.abort();
      this.client = null;
      if (client) await this.closeGracefully(client, finalMessage);
      await this.waitForLoop();
    }
    this.setState('stopped');
    this.logger.info('mqtt connection stopped');
    this.events.clear();
  }

  private async closeGracefully(
    client: MqttClientHandle,
    finalMessage: Buffer | string | undefined,
  ): Promise<void> {
    if (finalMessage !== undefined) {
      const topic = channelTopic(this.options.deviceId, 'status');
      const published = publishOnClient(client, topic, finalMessage, { qos: 1, retain: true });
      try {
        await withDeadline(published, this.clock, this.stopTimeoutMs, 'Final status publish');
      } catch (error) {
        this.logger.warn({ err: error }, 'final status was not acknowledged before stopping');
      }
    }
    await closeMqttClient(client, true, this.clock, this.stopTimeoutMs);
  }

  private async waitForLoop(): Promise<void> {
    if (!this.loop) return;
    try {
      await withDeadline(this.loop, this.clock, this.stopTimeoutMs, 'Stopping the connect loop');
    } catch (error) {
      this.logger.warn({ err: error }, 'connect loop did not finish before the stop deadline');
    }
  }

  private createLoopOptions(): ConnectLoopOptions {
    const { options } = this;
    const opener = new DeviceClientOpener({
      address: parseBrokerUrl(options.brokerUrl, options.useTls),
      ...(options.ca === undefined ? {} : { ca: options.ca }),
      deviceId: options.deviceId,
      tokens: options.tokens,
      clock: this.clock,
      logger: this.logger,
      willPayload: options.willPayload,
      sessionExpirySeconds: options.sessionExpirySeconds ?? DEFAULT_SESSION_EXPIRY_SECONDS,
      connectTimeoutMs: this.connectTimeoutMs,
      mqttConnect: options.mqttConnect ?? connectWithMqttJs,
      stats: this.stats,
      onMessage: (topic, payload, packet) => this.dispatchMessage(topic, payload, packet),
    });
    return {
      open: (signal) => opener.open(signal),
      prepare: (opened) => this.prepare(opened),
      clock: this.clock,
      log: this.log,
      schedule: { ...options.reconnect, ...(options.random ? { random: options.random } : {}) },
      ...(options.connectGate ? { gate: options.connectGate } : {}),
      onAttemptFailed: (error) => this.recordConnectFailure(error),
      onTokenIssued: (listener) => options.tokens.onIssued(listener),
    };
  }

  private recordConnectFailure(error: unknown): void {
    const failure = connectFailureOf(error, this.clock.now());
    this.connectFailure = failure;
    this.events.connectFailed.emit(failure);
  }

  private runLoop(work: Promise<void>): void {
    this.loop = work.catch((error: unknown) => {
      this.logger.error({ err: error }, 'connect loop failed unexpectedly');
    });
  }

  private async connectAndAdopt(previous: DisconnectedEvent | undefined): Promise<void> {
    const opened = await connectWithRetry(this.loopOptions, this.loopAbort.signal);
    if (!opened) return;
    if (this.isStopping()) {
      await closeMqttClient(opened.client, false, this.clock, this.stopTimeoutMs);
      return;
    }
    this.adopt(opened, previous);
  }

  /** Hooks a new client up and replays the subscriptions. Returns false when it closed meanwhile. */
  private async prepare(opened: OpenedClient): Promise<boolean> {
    const { client } = opened;
    let closed = false;
    client.on('close', () => {
      closed = true;
      this.handleClientClosed(client);
    });
    client.on('disconnect', (packet) => this.handleBrokerDisconnect(client, packet));
    client.on('error', (error) => {
      this.log.write('client_error', 'warn', { error: error.message }, 'mqtt client error');
    });
    if (await this.subscriptions.replay(client)) this.stats.recordResubscribe();
    if (!closed) return true;

    void closeMqttClient(client, false, this.clock, this.stopTimeoutMs);
    return false;
  }

  private adopt(opened: OpenedClient, previous: DisconnectedEvent | undefined): void {
    this.client = opened.client;
    this.brokerDisconnectCode = undefined;
    this.connectFailure = undefined;
    this.setState('connected');
    if (previous) this.stats.recordReconnect(previous.cause);

    const event: ConnectedEvent = {
      planned: previous?.cause === 'token_renewed',
      sessionPresent: opened.connack.sessionPresent,
      ...(previous
        ? { previousCause: previous.cause, previousReasonCode: previous.reasonCode }
        : {}),
    };
    this.logger.info({ ...event }, 'mqtt connected');
    this.events.connected.emit(event);
  }

  private handleBrokerDisconnect(client: MqttClientHandle, packet: IDisconnectPacket): void {
    if (client !== this.client) return;
    this.brokerDisconnectCode = packet.reasonCode ?? 0;
    this.logger.warn({ reasonCode: this.brokerDisconnectCode }, 'broker sent DISCONNECT');
  }

  private handleClientClosed(client: MqttClientHandle): void {
    this.inFlight.rejectFor(client, connectionClosedError);
    if (client !== this.client || this.connectionState !== 'connected') return;

    this.client = null;
    void closeMqttClient(client, false, this.clock, this.stopTimeoutMs);
    this.beginReconnect(causeOfDrop(this.brokerDisconnectCode), this.brokerDisconnectCode ?? 0);
  }

  private beginReconnect(cause: DisconnectCause, reasonCode: number): void {
    const previous = this.client;
    this.client = null;
    this.setState('reconnecting');
    this.stats.recordDisconnect(cause, reasonCode);

    const event: DisconnectedEvent = { cause, reasonCode };
    const level = cause === 'token_renewed' ? 'info' : 'warn';
    this.logger[level]({ ...event }, 'mqtt disconnected, reconnecting');
    this.events.disconnected.emit(event);
    this.runLoop(this.reconnect(event, previous));
  }

  /** Closes a still open previous client gracefully, then reconnects. */
  private async reconnect(
    event: DisconnectedEvent,
    previous: MqttClientHandle | null,
  ): Promise<void> {
    if (previous) await closeMqttClient(previous, true, this.clock, this.stopTimeoutMs);
    if (event.cause === 'auth_failure') await this.refreshTokenIgnoringErrors();
    await this.connectAndAdopt(event);
  }

  private async refreshTokenIgnoringErrors(): Promise<void> {
    try {
      await this.options.tokens.refresh();
    } catch (error) {
      this.logger.warn({ err: error }, 'token refresh after an auth failure failed');
    }
  }

  private dispatchMessage(topic: string, payload: Buffer, packet: IPublishPacket): void {
    if (this.events.message.size > 0) {
      this.events.message.emit(topic, payload, packet);
      return;
    }
    this.log.write('no_message_listener', 'warn', { topic }, 'message dropped: no listener');
  }

  private connectedClient(): MqttClientHandle | null {
    return this.connectionState === 'connected' ? this.client : null;
  }

  private isStopping(): boolean {
    return this.connectionState === 'stopping' || this.connectionState === 'stopped';
  }

  private setState(next: ConnectionState): void {
    const previous = this.connectionState;
    assertTransition(previous, next);
    this.connectionState = next;
    this.logger.debug({ from: previous, to: next }, 'connection state changed');
    this.events.stateChange.emit(next, previous);
  }
}
