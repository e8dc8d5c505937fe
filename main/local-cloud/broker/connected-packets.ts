import type { IDisconnectPacket, IPubrecPacket, Packet } from 'mqtt-packet';

import { assertNever } from '../../support/coded-error.js';
import type { BrokerContext, ConnectedClient } from './broker-context.js';
import { handleInboundPublish, handleInboundPubrel } from './inbound-publish.js';
import { ReasonCode } from './reason-codes.js';
import { handleSubscribe, handleUnsubscribe } from './subscription-requests.js';

/** A connected client that can also end itself on the client's DISCONNECT. */
export interface DisconnectingClient<Principal> extends ConnectedClient<Principal> {
  handleClientDisconnect(packet: IDisconnectPacket): void;
}

/** Routes one packet of an accepted connection to its flow. */
export function dispatchConnectedPacket<Principal>(
  client: DisconnectingClient<Principal>,
  packet: Packet,
  context: BrokerContext<Principal>,
): void {
  switch (packet.cmd) {
    case 'publish':
      handleInboundPublish(client, packet, context);
      return;
    case 'pubrel':
      handleInboundPubrel(client, packet);
      return;
    case 'puback':
    case 'pubcomp':
      client.session.outbound.complete(packet.messageId ?? 0);
      return;
    case 'pubrec':
      handlePubrec(client, packet);
      return;
    case 'subscribe':
      handleSubscribe(client, packet, context);
      return;
    case 'unsubscribe':
      handleUnsubscribe(client, packet);
      return;
    case 'pingreq':
      client.send({ cmd: 'pingresp' });
      return;
    case 'disconnect':
      client.handleClientDisconnect(packet);
      return;
    case 'connect':
    case 'auth':
    case 'connack':
    case 'suback':
    case 'unsuback':
    case 'pingresp':
      client.fail(ReasonCode.protocolError, 'protocol-error', `unexpected ${packet.cmd} packet`);
      return;
    default:
      assertNever(packet, 'MQTT packet');
  }
}

/** PUBREC with a reason code of 0x80 or above ends the QoS 2 flow without PUBREL. */
function handlePubrec<Principal>(client: ConnectedClient<Principal>, packet: IPubrecPacket): void {
  const packetId = packet.messageId ?? 0;
  const failed = (packet.reasonCode ?? 0) >= ReasonCode.unspecifiedError;
  if (client.session.outbound.received(packetId, failed)) return;
  if (client.protocolVersion !== 5) return;

  const reasonCode = ReasonCode.packetIdentifierNotFound;
  client.send({ cmd: 'pubrel', messageId: packetId, reasonCode });
}
