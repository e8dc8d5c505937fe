import type { Packet } from 'mqtt-packet';

import type { Clock } from '../../support/clock.js';
import type { Logger, LogRateLimiter } from '../../support/logger.js';
import type {
  Authenticator,
  ClientConnectedEvent,
  ClientDisconnectedEvent,
  DisconnectReason,
  ProtocolVersion,
  PublishAuthorizer,
  PublishEvent,
  SubscribeAuthorizer,
  SubscribeEvent,
} from './broker-types.js';
import type { ListenerSet } from '../../support/listener-set.js';
import type { MessageRouter } from './message-router.js';
import type { RetainedStore } from './retained-store.js';
import type { BrokerSession } from './session.js';
import type { SessionStore } from './session-store.js';

/** Broker options with every default filled in. */
export interface BrokerSettings<Principal> {
  readonly authenticate: Authenticator<Principal>;
  readonly authorizePublish: PublishAuthorizer<Principal>;
  readonly authorizeSubscribe: SubscribeAuthorizer<Principal>;
  readonly maximumPacketSize: number;
  readonly maximumSessionExpirySeconds: number;
  readonly connectTimeoutMs: number;
  readonly maximumWriteBufferBytes: number;
}

export interface BrokerEvents<Principal> {
  readonly publish: ListenerSet<[PublishEvent]>;
  readonly connected: ListenerSet<[ClientConnectedEvent<Principal>]>;
  readonly disconnected: ListenerSet<[ClientDisconnectedEvent]>;
  readonly subscribe: ListenerSet<[SubscribeEvent]>;
}

/** A connection that a newer CONNECT with the same client id can take over. */
export interface TakeoverTarget {
  takeOver(): void;
}

/** Shared state of all connections of one broker. */
export interface BrokerContext<Principal> {
  readonly settings: BrokerSettings<Principal>;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Keeps a client that retries a rejected CONNECT from flooding the log. */
  readonly logLimiter: LogRateLimiter;
  readonly sessions: SessionStore;
  readonly retained: RetainedStore;
  readonly router: MessageRouter;
  readonly events: BrokerEvents<Principal>;
  /** The accepted connection of each connected client id. */
  readonly clients: Map<string, TakeoverTarget>;
  isShuttingDown(): boolean;
}

/** The side of an accepted connection that the packet flows work with. */
export interface ConnectedClient<Principal> {
  readonly clientId: string;
  readonly principal: Principal;
  readonly protocolVersion: ProtocolVersion;
  readonly session: BrokerSession;
  send(packet: Packet): boolean;
  /** Ends the connection, first sending DISCONNECT with `reasonCode` to an MQTT 5 client. */
  fail(reasonCode: number, reason: DisconnectReason, detail: string): void;
}
