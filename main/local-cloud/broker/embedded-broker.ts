import { createServer, type Server, type Socket } from 'node:net';

import { type Clock, systemClock } from '../../support/clock.js';
import { CodedError, errorMessage } from '../../support/coded-error.js';
import type { Disposable } from '../../support/disposable.js';
import { LogRateLimiter, type Logger, silentLogger } from '../../support/logger.js';
import type { BrokerContext, BrokerEvents, BrokerSettings } from './broker-context.js';
import { BrokerConnection } from './broker-connection.js';
import {
  type BrokerMessage,
  deliveredProperties,
  forwardedProperties,
  messageFromWill,
  toBuffer,
} from './broker-message.js';
import { resolveBrokerSettings } from './broker-settings.js';
import type {
  BrokerPublishRequest,
  ClientConnectedEvent,
  ClientDisconnectedEvent,
  ClientIdentity,
  EmbeddedBrokerOptions,
  MessageOrigin,
  PublishEvent,
  SubscribeEvent,
} from './broker-types.js';
import { ListenerSet } from '../../support/listener-set.js';
import { MessageRouter } from './message-router.js';
import type { Delivery, DropReason } from './outbound-flow.js';
import { RetainedStore } from './retained-store.js';
import { SessionStore } from './session-store.js';
import { isValidTopicName } from './topic-filter.js';

export type * from './broker-types.js';

/** Lifecycle of the broker. `paused` keeps the clients but rejects new TCP connections. */
type BrokerState = 'idle' | 'listening' | 'paused' | 'closing' | 'closed';

const TRANSITIONS: Readonly<Record<BrokerState, readonly BrokerState[]>> = {
  idle: ['listening', 'closing'],
  listening: ['paused', 'closing'],
  paused: ['listening', 'closing'],
  closing: ['closed'],
  closed: [],
};

export interface ListeningAddress {
  readonly url: string;
  readonly port: number;
}

/**
 * An MQTT 5 and 3.1.1 broker on node:net for the local Owl Cloud and for tests: pluggable
 * authentication and topic authorization, persistent sessions, wills, retained messages and
 * QoS 0, 1 and 2 in both directions.
 */
export class EmbeddedBroker<Principal = ClientIdentity> {
  private state: BrokerState = 'idle';
  private server: Server | undefined;
  private port: number;
  private closing: Promise<void> | undefined;
  private readonly host: string;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly closeTimeoutMs: number;
  private readonly connections = new Set<BrokerConnection<Principal>>();
  private readonly events: BrokerEvents<Principal>;
  private readonly context: BrokerContext<Principal>;

  constructor(options: EmbeddedBrokerOptions<Principal>) {
    const { settings, closeTimeoutMs, maximumQueuedMessages } = resolveBrokerSettings(options);
    this.host = options.host ?? '127.0.0.1';
    this.port = options.port ?? 0;
    this.clock = options.clock ?? systemClock;
    this.logger = (options.logger ?? silentLogger).child({ component: 'embedded-broker' });
    this.closeTimeoutMs = closeTimeoutMs;
    this.events = this.createEvents();
    this.context = this.createContext(settings, maximumQueuedMessages);
  }

  /** The broker's address; throws before `listen()` has resolved. */
  get url(): string {
    if (this.state === 'idle') {
      throw new CodedError('broker_not_listening', 'The broker has no address before listen()');
    }
    return `mqtt://${this.host}:${this.port}`;
  }

  get connectedClientIds(): string[] {
    return [...this.context.clients.keys()];
  }

  /** Open TCP connections, including those that have not completed CONNECT. */
  get openConnectionCount(): number {
    return this.connections.size;
  }

  hasSession(clientId: string): boolean {
    return this.context.sessions.get(clientId) !== undefined;
  }

  /** Returns the retained message of `topic`, as a subscriber would receive it now. */
  retainedMessage(topic: string): Omit<PublishEvent, 'origin'> | undefined {
    const message = this.context.retained.get(topic);
    if (!message) return undefined;
    const event = this.publishEvent(message, 'client');
    return {
      clientId: event.clientId,
      topic: event.topic,
      payload: event.payload,
      qos: event.qos,
      retain: event.retain,
      properties: event.properties,
    };
  }

  async listen(): Promise<ListeningAddress> {
    this.transition('listening');
    try {
      this.port = await this.startServer(this.port);
    } catch (error) {
      this.state = 'idle';
      throw new CodedError('listen_failed', `The broker could not listen on port ${this.port}`, {
        cause: error,
      });
    }
    this.logger.info({ url: this.url }, 'broker listening');
    return { url: this.url, port: this.port };
  }

  /** Stops accepting TCP connections, as in an outage; connected clients stay connected. */
  stopAccepting(): void {
    this.transition('paused');
    this.server?.close();
    this.server = undefined;
    this.logger.info({ port: this.port }, 'broker stopped accepting connections');
  }

  /** Accepts connections again on the same port. */
  async resumeAccepting(): Promise<void> {
    this.transition('listening');
    try {
      await this.startServer(this.port);
    } catch (error) {
      this.state = 'paused';
      throw new CodedError('listen_failed', `The broker could not listen on port ${this.port}`, {
        cause: error,
      });
    }
    this.logger.info({ port: this.port }, 'broker accepting connections again');
  }

  /**
   * Drops every client socket at once, as a network failure would. Sessions survive and wills are
   * published. MQTT 5 clients first get a DISCONNECT when `reasonCode` is given.
   */
  disconnectAll(options: { reasonCode?: number } = {}): void {
    this.logger.info({ clients: this.connections.size }, 'dropping every client connection');
    for (const connection of [...this.connections]) connection.drop(options.reasonCode);
  }

  /** Publishes a message from the broker itself. Throws on an invalid topic name. */
  publish(request: BrokerPublishRequest): void {
    if (!isValidTopicName(request.topic)) {
      throw new CodedError('invalid_topic', `Invalid topic name "${request.topic}"`, {
        details: { topic: request.topic },
      });
    }
    const expiry = request.properties?.messageExpiryInterval;
    const message: BrokerMessage = {
      topic: request.topic,
      payload: toBuffer(request.payload),
      qos: request.qos ?? 0,
      retain: request.retain ?? false,
      properties: forwardedProperties(request.properties),
      expiresAt: expiry === undefined ? undefined : this.clock.monotonic() + expiry * 1000,
      senderClientId: undefined,
    };
    this.context.router.route(message, 'broker');
  }

  /** Sends DISCONNECT 0x8B to every client, closes all sockets and drops all sessions. */
  close(): Promise<void> {
    if (this.state === 'closed') return Promise.resolve();
    this.closing ??= this.shutdown();
    return this.closing;
  }

  onPublish(listener: (event: PublishEvent) => void): Disposable {
    return this.events.publish.add(listener);
  }

  onClientConnected(listener: (event: ClientConnectedEvent<Principal>) => void): Disposable {
    return this.events.connected.add(listener);
  }

  onClientDisconnected(listener: (event: ClientDisconnectedEvent) => void): Disposable {
    return this.events.disconnected.add(listener);
  }

  onSubscribe(listener: (event: SubscribeEvent) => void): Disposable {
    return this.events.subscribe.add(listener);
  }

  private async shutdown(): Promise<void> {
    this.transition('closing');
    this.server?.close();
    this.server = undefined;
    for (const connection of this.connections) connection.shutdown();
    await this.waitForConnections();
    this.context.sessions.clear();
    this.context.retained.clear();
    this.transition('closed');
    this.logger.info({ port: this.port }, 'broker closed');
  }

  /** Waits for every socket to close, destroying those still open after the close timeout. */
  private async waitForConnections(): Promise<void> {
    const allClosed = Promise.all([...this.connections].map((connection) => connection.closed));
    let timer: ReturnType<Clock['setTimeout']> | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = this.clock.setTimeout(resolve, this.closeTimeoutMs);
    });
    await Promise.race([allClosed, deadline]);
    if (timer) this.clock.clearTimeout(timer);
    for (const connection of this.connections) connection.destroy();
    await allClosed;
  }

  private startServer(port: number): Promise<number> {
    const server = createServer((socket) => this.acceptSocket(socket));
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.host, () => {
        server.off('error', reject);
        server.on('error', (error) => this.logger.error({ err: error.message }, 'server error'));
        this.server = server;
        const address = server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  }

  private acceptSocket(socket: Socket): void {
    if (this.state !== 'listening') {
      socket.destroy();
      return;
    }
    const connection = new BrokerConnection(socket, this.context);
    this.connections.add(connection);
    void connection.closed.then(() => this.connections.delete(connection));
  }

  private transition(to: BrokerState): void {
    if (!TRANSITIONS[this.state].includes(to)) {
      throw new CodedError(
        'invalid_broker_state',
        `The broker cannot move from ${this.state} to ${to}`,
        { details: { from: this.state, to } },
      );
    }
    this.state = to;
  }

  private createEvents(): BrokerEvents<Principal> {
    const onError = (error: unknown): void =>
      this.logger.error({ err: errorMessage(error) }, 'broker event listener failed');
    return {
      publish: new ListenerSet(onError),
      connected: new ListenerSet(onError),
      disconnected: new ListenerSet(onError),
      subscribe: new ListenerSet(onError),
    };
  }

  private createContext(
    settings: BrokerSettings<Principal>,
    maximumQueued: number,
  ): BrokerContext<Principal> {
    const retained = new RetainedStore(() => this.clock.monotonic());
    const sessions = new SessionStore({
      clock: this.clock,
      maximumQueued,
      publishWill: (pending) => {
        const message = messageFromWill(pending.will, pending.clientId, this.clock.monotonic());
        router.route(message, 'will');
      },
      onDrop: (clientId, delivery, reason) => this.onDrop(clientId, delivery, reason),
    });
    const router = new MessageRouter(sessions, retained, (message, origin) =>
      this.events.publish.emit(this.publishEvent(message, origin)),
    );
    return {
      settings,
      clock: this.clock,
      logger: this.logger,
      logLimiter: new LogRateLimiter(60_000, 5, () => this.clock.now()),
      sessions,
      retained,
      router,
      events: this.events,
      clients: new Map(),
      isShuttingDown: () => this.state === 'closing' || this.state === 'closed',
    };
  }

  private onDrop(clientId: string, delivery: Delivery, reason: DropReason): void {
    const dropped = this.context.logLimiter.admit(`drop:${clientId}:${reason}`);
    if (dropped === null) return;
    this.logger.warn(
      { clientId, topic: delivery.message.topic, reason, droppedBefore: dropped },
      'message to client dropped',
    );
  }

  private publishEvent(message: BrokerMessage, origin: MessageOrigin): PublishEvent {
    return {
      clientId: message.senderClientId,
      topic: message.topic,
      payload: message.payload,
      qos: message.qos,
      retain: message.retain,
      properties: deliveredProperties(message, this.clock.monotonic()),
      origin,
    };
  }
}
