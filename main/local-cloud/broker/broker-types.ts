import type { QoS } from 'mqtt-packet';

import type { Clock } from '../../support/clock.js';
import type { Logger } from '../../support/logger.js';
import type { PublishProperties } from './broker-message.js';
import type { ConnectRejectionCode } from './reason-codes.js';

/** MQTT protocol level of a connection: 3 is MQTT 3.1, 4 is MQTT 3.1.1, 5 is MQTT 5.0. */
export type ProtocolVersion = 3 | 4 | 5;

/** Identity and credentials a client presents in its CONNECT packet. */
export interface ConnectRequest {
  readonly clientId: string;
  readonly username: string | undefined;
  /** The CONNECT password decoded as UTF-8, which is how a JWT travels. */
  readonly password: string | undefined;
  readonly protocolVersion: ProtocolVersion;
  readonly remoteAddress: string | undefined;
}

export type AuthenticationResult<Principal> =
  { ok: true; principal: Principal } | { ok: false; reasonCode: ConnectRejectionCode };

/**
 * Decides whether a CONNECT is accepted and who the client is. A thrown error or rejected promise
 * rejects the client with "server unavailable".
 */
export type Authenticator<Principal> = (
  request: ConnectRequest,
) => AuthenticationResult<Principal> | Promise<AuthenticationResult<Principal>>;

export type PublishAuthorizer<Principal> = (principal: Principal, topic: string) => boolean;
export type SubscribeAuthorizer<Principal> = (principal: Principal, filter: string) => boolean;

/** The principal of every client when no authenticator is configured. */
export interface ClientIdentity {
  readonly clientId: string;
  readonly username: string | undefined;
}

interface BaseBrokerOptions<Principal> {
  /** Listen address; default 127.0.0.1. */
  host?: string;
  /** Listen port; default 0, which picks a free port. */
  port?: number;
  /** Allows every publish when omitted. A thrown error counts as a rejection. */
  authorizePublish?: PublishAuthorizer<Principal>;
  /** Allows every subscription when omitted. A thrown error counts as a rejection. */
  authorizeSubscribe?: SubscribeAuthorizer<Principal>;
  /** Largest packet accepted from a client, in bytes; default 1 MiB. */
  maximumPacketSize?: number;
  /** Upper bound of a session expiry interval in seconds, also used for MQTT 3.1.1 clean=false. */
  maximumSessionExpirySeconds?: number;
  /** QoS 1 and 2 messages kept per session while the client is away or its window is full. */
  maximumQueuedMessages?: number;
  /** Time a new connection gets to send CONNECT, in milliseconds; default 10 000. */
  connectTimeoutMs?: number;
  /** Time `close()` waits for clients to hang up before destroying sockets; default 2 000 ms. */
  closeTimeoutMs?: number;
  /** Bytes buffered for a slow client above which QoS 0 messages to it are dropped; default 8 MiB. */
  maximumWriteBufferBytes?: number;
  clock?: Clock;
  logger?: Logger;
}

/** An authenticator is optional only when the principal type is the default `ClientIdentity`. */
type AuthenticationOption<Principal> = ClientIdentity extends Principal
  ? { authenticate?: Authenticator<Principal> }
  : { authenticate: Authenticator<Principal> };

export type EmbeddedBrokerOptions<Principal> = BaseBrokerOptions<Principal> &
  AuthenticationOption<Principal>;

export type MessageOrigin = 'client' | 'will' | 'broker';

/** A message the broker accepted and routed. */
export interface PublishEvent {
  /** The publisher, or undefined for a message published through `EmbeddedBroker.publish`. */
  readonly clientId: string | undefined;
  readonly topic: string;
  readonly payload: Buffer;
  readonly qos: QoS;
  readonly retain: boolean;
  readonly properties: PublishProperties;
  readonly origin: MessageOrigin;
}

export interface ClientConnectedEvent<Principal> {
  readonly clientId: string;
  readonly principal: Principal;
  readonly protocolVersion: ProtocolVersion;
  readonly sessionPresent: boolean;
}

export type DisconnectReason =
  | 'client-disconnect'
  | 'connection-lost'
  | 'keepalive-timeout'
  | 'session-taken-over'
  | 'protocol-error'
  | 'packet-too-large'
  | 'server-disconnect'
  | 'server-shutdown';

export interface ClientDisconnectedEvent {
  readonly clientId: string;
  readonly reason: DisconnectReason;
}

export interface SubscribeEvent {
  readonly clientId: string;
  readonly filter: string;
  readonly qos: QoS;
}

/** A message the broker publishes itself, such as a command from the local cloud. */
export interface BrokerPublishRequest {
  readonly topic: string;
  readonly payload: string | Buffer;
  readonly qos?: QoS;
  readonly retain?: boolean;
  readonly properties?: PublishProperties;
}
