import type { Socket } from 'node:net';

import mqttPacket from 'mqtt-packet';
import type { IPublishPacket, Packet } from 'mqtt-packet';

import { errorMessage } from '../../support/coded-error.js';
import type { Logger } from '../../support/logger.js';
import type { ProtocolVersion } from './broker-types.js';

/**
 * Encodes packets with the connection's protocol version and writes them to its socket. A
 * PUBLISH above the client's maximum packet size is dropped, as MQTT 5 requires, and so is a
 * QoS 0 PUBLISH while a slow client has more than `maximumBufferedBytes` unread.
 */
export class PacketWriter {
  version: ProtocolVersion = 4;
  clientId = '';
  clientMaximumPacketSize = Number.POSITIVE_INFINITY;

  constructor(
    private readonly socket: Socket,
    private readonly logger: Logger,
    private readonly maximumBufferedBytes: number,
  ) {}

  /**
   * Returns false when the packet was dropped for good. A write to a socket that already died
   * counts as sent, so an unacknowledged message stays in flight for the next connection.
   */
  write(packet: Packet): boolean {
    let bytes: Buffer;
    try {
      bytes = mqttPacket.generate(packet, { protocolVersion: this.version });
    } catch (error) {
      this.logger.warn(
        { clientId: this.clientId, cmd: packet.cmd, err: errorMessage(error) },
        'packet could not be encoded, dropped',
      );
      return false;
    }
    if (packet.cmd === 'publish' && !this.fitsClient(bytes.length, packet.topic)) return false;
    if (!this.socket.destroyed) this.socket.write(bytes);
    return true;
  }

  writePublish(packet: IPublishPacket): boolean {
    if (packet.qos === 0 && this.socket.writableLength > this.maximumBufferedBytes) {
      this.logger.debug(
        { clientId: this.clientId, topic: packet.topic },
        'client reads too slowly, QoS 0 message dropped',
      );
      return false;
    }
    return this.write(packet);
  }

  private fitsClient(size: number, topic: string): boolean {
    if (size <= this.clientMaximumPacketSize) return true;
    this.logger.debug(
      { clientId: this.clientId, topic, size, limit: this.clientMaximumPacketSize },
      'message above the client maximum packet size, dropped',
    );
    return false;
  }
}
