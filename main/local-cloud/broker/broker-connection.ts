import type { Socket } from 'node:net';

import type { IConnectPacket, IDisconnectPacket, IPublishPacket, Packet } from 'mqtt-packet';

import { assertNever, CodedError, errorMessage } from '../../support/coded-error.js';
import type { BrokerContext, ConnectedClient, TakeoverTarget } from './broker-context.js';
import type { DisconnectReason, ProtocolVersion } from './broker-types.js';
import {
  type AcceptedConnect,
  type ConnectEvaluation,
  connackFor,
  evaluateConnect,
} from './connect-evaluation.js';
import { type ConnectionState, isEnding, transitionConnection } from './connection-state.js';
import { dispatchConnectedPacket } from './connected-packets.js';
import { DeadlineTimer } from './deadline-timer.js';
import type { DeliverySink } from './outbound-flow.js';
import { PacketReader, type ReadFailure } from './packet-reader.js';
import { PacketWriter } from './packet-writer.js';
import { ConnectReturnCode, connectReturnCodeV3, ReasonCode } from './reason-codes.js';
import type { BrokerSession } from './session.js';
import type { PendingWill } from './session-store.js';

/** How long a closing socket may take to flush before it is destroyed, in milliseconds. */
const CLOSE_FLUSH_DEADLINE_MS = 2_000;

/**
 * One client socket: parses packets with the negotiated protocol version, runs the CONNECT
 * handshake, enforces keepalive, and owns the client's session while connected.
 */
export class BrokerConnection<Principal>
  implements ConnectedClient<Principal>, DeliverySink, TakeoverTarget
{
  private state: ConnectionState = 'awaiting-connect';
  private readonly reader: PacketReader;
  private readonly backlog: Packet[] = [];
  private readonly deadline: DeadlineTimer;
  private readonly writer: PacketWriter;
  private version: ProtocolVersion = 4;
  private accepted: AcceptedConnect<Principal> | undefined;
  private attachedSession: BrokerSession | undefined;
  private will: PendingWill | undefined;
  private closeReason: DisconnectReason = 'connection-lost';
  private readonly closedPromise: Promise<void>;
  private resolveClosed: () => void = () => undefined;

  constructor(
    private readonly socket: Socket,
    private readonly context: BrokerContext<Principal>,
  ) {
    this.closedPromise = new Promise((resolve) => (this.resolveClosed = resolve));
    this.reader = new PacketReader(
      context.settings.maximumPacketSize,
      (packet) => this.dispatch(packet),
      (failure) => this.onReadFailure(failure),
    );
    this.deadline = new DeadlineTimer(context.clock);
    const bufferLimit = context.settings.maximumWriteBufferBytes;
    this.writer = new PacketWriter(socket, context.logger, bufferLimit);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      if (!isEnding(this.state)) this.reader.read(chunk);
    });
    socket.on('error', (error) => this.onSocketError(error));
    socket.on('close', () => this.onSocketClose());
    this.deadline.start(context.settings.connectTimeoutMs, () => this.onConnectTimeout());
  }

  /** Settles once the socket has closed. */
  get closed(): Promise<void> {
    return this.closedPromise;
  }

  get clientId(): string {
    return this.accepted?.clientId ?? '';
  }

  get principal(): Principal {
    return this.acceptedConnect().principal;
  }

  get protocolVersion(): ProtocolVersion {
    return this.version;
  }

  get session(): BrokerSession {
    if (!this.attachedSession) {
      throw new CodedError('session_detached', `Client ${this.clientId} has no session attached`);
    }
    return this.attachedSession;
  }

  get receiveMaximum(): number {
    return this.accepted?.receiveMaximum ?? 0xffff;
  }

  send(packet: Packet): boolean {
    return this.writer.write(packet);
  }

  sendPublish(packet: IPublishPacket): boolean {
    return this.writer.writePublish(packet);
  }

  sendPubrel(packetId: number): void {
    this.send({ cmd: 'pubrel', messageId: packetId, reasonCode: ReasonCode.success });
  }

  fail(reasonCode: number, reason: DisconnectReason, detail: string): void {
    if (isEnding(this.state)) return;
    this.context.logger.info(
      { clientId: this.clientId, reasonCode, reason, detail },
      'closing client connection',
    );
    if (this.version === 5 && this.state === 'connected') {
      this.send({ cmd: 'disconnect', reasonCode });
    }
    this.endSocket(reason);
  }

  takeOver(): void {
    this.fail(ReasonCode.sessionTakenOver, 'session-taken-over', 'a newer connection took over');
  }

  /** Ends the connection gracefully because the broker shuts down. No will is published. */
  shutdown(): void {
    this.will = undefined;
    this.fail(ReasonCode.serverShuttingDown, 'server-shutdown', 'broker shutting down');
  }

  /**
   * Drops the connection as a network failure would, so the will is published. With a reason
   * code, MQTT 5 clients first get a DISCONNECT and the socket is flushed before it closes.
   */
  drop(reasonCode: number | undefined): void {
    if (reasonCode !== undefined) {
      this.fail(reasonCode, 'server-disconnect', 'dropped by the broker');
      return;
    }
    this.closeReason = 'server-disconnect';
    this.releaseSession();
    this.socket.destroy();
  }

  /** Destroys the socket without any farewell, for the end of a failed graceful close. */
  destroy(): void {
    this.socket.destroy();
  }

  /** Handles DISCONNECT: reason 0x04 keeps the will, any other reason deletes it. */
  handleClientDisconnect(packet: IDisconnectPacket): void {
    const expiry = packet.properties?.sessionExpiryInterval;
    if (expiry !== undefined && !this.updateSessionExpiry(expiry)) return;

    if (packet.reasonCode !== ReasonCode.disconnectWithWill) this.will = undefined;
    this.endSocket('client-disconnect');
  }

  private updateSessionExpiry(expirySeconds: number): boolean {
    if (this.session.expirySeconds === 0 && expirySeconds > 0) {
      this.fail(ReasonCode.protocolError, 'protocol-error', 'session expiry raised from 0');
      return false;
    }
    const maximum = this.context.settings.maximumSessionExpirySeconds;
    this.session.expirySeconds = Math.min(expirySeconds, maximum);
    return true;
  }

  private dispatch(packet: Packet): void {
    switch (this.state) {
      case 'awaiting-connect':
        this.beginConnect(packet);
        return;
      case 'authenticating':
        this.backlog.push(packet);
        return;
      case 'connected':
        this.restartKeepalive();
        dispatchConnectedPacket(this, packet, this.context);
        return;
      case 'closing':
      case 'closed':
        return;
    }
  }

  private beginConnect(packet: Packet): void {
    if (packet.cmd !== 'connect') {
      this.context.logger.debug({ cmd: packet.cmd }, 'first packet is not CONNECT, socket closed');
      this.endSocket('protocol-error');
      return;
    }
    this.version = (packet.protocolVersion ?? 4) as ProtocolVersion;
    this.writer.version = this.version;
    this.deadline.cancel();
    this.state = transitionConnection(this.state, 'authenticating');
    this.socket.pause();
    evaluateConnect(packet, this.socket.remoteAddress, this.context)
      .then((evaluation) => this.finishConnect(packet, evaluation))
      .catch((error: unknown) => {
        this.context.logger.error({ err: errorMessage(error) }, 'CONNECT handling failed');
        this.socket.destroy();
      });
  }

  private finishConnect(packet: IConnectPacket, evaluation: ConnectEvaluation<Principal>): void {
    if (this.state !== 'authenticating') return;
    if (this.context.isShuttingDown()) {
      this.rejectConnect(ReasonCode.serverUnavailable, packet.clientId, 'broker shutting down');
      return;
    }
    if (!evaluation.ok) {
      this.rejectConnect(evaluation.reasonCode, packet.clientId, evaluation.detail);
      return;
    }
    this.acceptConnect(evaluation);
  }

  private rejectConnect(reasonCode: number, clientId: string, detail: string): void {
    if (this.context.logLimiter.admit(`rejected:${clientId}`) !== null) {
      this.context.logger.info({ clientId, reasonCode, detail }, 'client connection rejected');
    }
    if (this.version === 5) {
      this.send({ cmd: 'connack', reasonCode, sessionPresent: false });
    } else {
      const returnCode = connectReturnCodeV3(reasonCode);
      if (returnCode !== null) this.send({ cmd: 'connack', returnCode, sessionPresent: false });
    }
    this.endSocket('protocol-error');
  }

  private acceptConnect(accepted: AcceptedConnect<Principal>): void {
    const { clientId } = accepted;
    this.context.clients.get(clientId)?.takeOver();
    const { sessions, settings } = this.context;
    const opened = sessions.open(clientId, accepted.cleanStart, accepted.sessionExpirySeconds);
    opened.session.owner = this;
    this.accepted = accepted;
    this.writer.clientId = clientId;
    this.writer.clientMaximumPacketSize = accepted.clientMaximumPacketSize;
    this.attachedSession = opened.session;
    this.will = accepted.will;
    this.context.clients.set(clientId, this);
    this.state = transitionConnection(this.state, 'connected');

    this.send(connackFor(accepted, opened.present, this.version, settings.maximumPacketSize));
    this.restartKeepalive();
    opened.session.outbound.attach(this);
    this.context.logger.debug({ clientId, sessionPresent: opened.present }, 'client connected');
    this.context.events.connected.emit({
      clientId,
      principal: accepted.principal,
      protocolVersion: this.version,
      sessionPresent: opened.present,
    });
    this.socket.resume();
    for (const packet of this.backlog.splice(0)) this.dispatch(packet);
  }

  private onReadFailure(failure: ReadFailure): void {
    switch (failure.kind) {
      case 'packet-too-large':
        this.fail(
          ReasonCode.packetTooLarge,
          'packet-too-large',
          `packet above ${failure.maximumPacketSize} bytes`,
        );
        return;
      case 'unsupported-protocol-version':
        this.rejectProtocolVersion();
        return;
      case 'malformed':
        this.fail(ReasonCode.malformedPacket, 'protocol-error', `malformed: ${failure.detail}`);
        return;
      default:
        assertNever(failure, 'read failure');
    }
  }

  /** A CONNECT of an unknown protocol level gets the MQTT 3.1.1 CONNACK with return code 1. */
  private rejectProtocolVersion(): void {
    if (this.state === 'awaiting-connect') {
      const returnCode = ConnectReturnCode.unacceptableProtocolVersion;
      this.send({ cmd: 'connack', returnCode, sessionPresent: false });
    }
    this.endSocket('protocol-error');
  }

  private onSocketError(error: Error): void {
    this.context.logger.debug({ clientId: this.clientId, err: error.message }, 'socket error');
  }

  private onConnectTimeout(): void {
    this.context.logger.debug('no CONNECT in time, socket closed');
    this.socket.destroy();
  }

  private onKeepaliveExpired(): void {
    this.fail(ReasonCode.keepAliveTimeout, 'keepalive-timeout', 'no packet within 1.5 keepalive');
  }

  private onSocketClose(): void {
    if (this.state === 'closed') return;
    this.state = transitionConnection(this.state, 'closed');
    this.deadline.cancel();
    this.releaseSession();
    this.resolveClosed();
  }

  /** Ends the broker's side, flushing what was written, and releases the session at once. */
  private endSocket(reason: DisconnectReason): void {
    if (isEnding(this.state)) return;
    this.state = transitionConnection(this.state, 'closing');
    this.closeReason = reason;
    this.releaseSession();
    this.socket.end(() => this.socket.destroy());
    this.deadline.start(CLOSE_FLUSH_DEADLINE_MS, () => this.socket.destroy());
  }

  /** Hands the session back to the store with the will, unless this connection no longer owns it. */
  private releaseSession(): void {
    const session = this.attachedSession;
    if (!session) return;
    this.attachedSession = undefined;
    const { clientId } = this.acceptedConnect();
    if (this.context.clients.get(clientId) === this) this.context.clients.delete(clientId);

    const will = this.will;
    this.will = undefined;
    if (session.owner === this) this.context.sessions.release(session, will);
    this.context.logger.debug({ clientId, reason: this.closeReason }, 'client disconnected');
    this.context.events.disconnected.emit({ clientId, reason: this.closeReason });
  }

  private restartKeepalive(): void {
    const seconds = this.accepted?.keepaliveSeconds ?? 0;
    if (seconds <= 0) return;
    this.deadline.start(seconds * 1500, () => this.onKeepaliveExpired());
  }

  private acceptedConnect(): AcceptedConnect<Principal> {
    if (!this.accepted) {
      throw new CodedError('not_connected', 'The connection has not completed CONNECT');
    }
    return this.accepted;
  }
}
