import type {
  IPubackPacket,
  IPubcompPacket,
  IPublishPacket,
  IPubrecPacket,
  IPubrelPacket,
} from 'mqtt-packet';

import { errorMessage } from '../../support/coded-error.js';
import type { BrokerContext, ConnectedClient } from './broker-context.js';
import { messageFromPublish } from './broker-message.js';
import { ReasonCode } from './reason-codes.js';
import { isValidTopicName } from './topic-filter.js';

/**
 * Handles a PUBLISH from a client: validation, authorization, routing, and the QoS 1 (PUBACK) and
 * QoS 2 (PUBREC, then PUBCOMP on PUBREL) acknowledgements. A QoS 2 message is routed when its
 * PUBLISH first arrives. Its packet id is kept until PUBREL, so a resent PUBLISH gets another
 * PUBREC but is not routed again.
 */
export function handleInboundPublish<Principal>(
  client: ConnectedClient<Principal>,
  packet: IPublishPacket,
  context: BrokerContext<Principal>,
): void {
  if (packet.properties?.topicAlias !== undefined) {
    client.fail(ReasonCode.topicAliasInvalid, 'protocol-error', 'topic alias sent, maximum is 0');
    return;
  }
  if (!isValidTopicName(packet.topic)) {
    client.fail(ReasonCode.topicNameInvalid, 'protocol-error', `invalid topic "${packet.topic}"`);
    return;
  }
  const packetId = packet.messageId ?? 0;
  if (packet.qos === 2 && client.session.awaitingPubrel.has(packetId)) {
    client.send(pubrec(packetId, ReasonCode.success));
    return;
  }

  if (!isPublishAllowed(client, packet.topic, context)) {
    rejectPublish(client, packet, packetId, context);
    return;
  }
  const message = messageFromPublish(packet, client.clientId, context.clock.monotonic());
  context.router.route(message, 'client');
  acknowledge(client, packet, packetId);
}

/** Handles PUBREL: the client released a QoS 2 message, so its packet id may be reused. */
export function handleInboundPubrel<Principal>(
  client: ConnectedClient<Principal>,
  packet: IPubrelPacket,
): void {
  const packetId = packet.messageId ?? 0;
  const known = client.session.awaitingPubrel.delete(packetId);
  const reasonCode = known ? ReasonCode.success : ReasonCode.packetIdentifierNotFound;
  const pubcomp: IPubcompPacket = { cmd: 'pubcomp', messageId: packetId, reasonCode };
  client.send(pubcomp);
}

function isPublishAllowed<Principal>(
  client: ConnectedClient<Principal>,
  topic: string,
  context: BrokerContext<Principal>,
): boolean {
  try {
    return context.settings.authorizePublish(client.principal, topic);
  } catch (error) {
    context.logger.warn(
      { clientId: client.clientId, topic, err: errorMessage(error) },
      'publish authorizer failed, publish rejected',
    );
    return false;
  }
}

/**
 * Acknowledges a rejected publish: MQTT 5 clients get reason code 135 on PUBACK or PUBREC, and
 * QoS 0 is dropped silently. MQTT 3.1.1 cannot report a rejection, so its flow completes normally.
 */
function rejectPublish<Principal>(
  client: ConnectedClient<Principal>,
  packet: IPublishPacket,
  packetId: number,
  context: BrokerContext<Principal>,
): void {
  context.logger.debug(
    { clientId: client.clientId, topic: packet.topic, qos: packet.qos },
    'publish not authorized',
  );
  if (client.protocolVersion === 5) {
    if (packet.qos === 1) client.send(puback(packetId, ReasonCode.notAuthorized));
    if (packet.qos === 2) client.send(pubrec(packetId, ReasonCode.notAuthorized));
    return;
  }
  acknowledge(client, packet, packetId);
}

function acknowledge<Principal>(
  client: ConnectedClient<Principal>,
  packet: IPublishPacket,
  packetId: number,
): void {
  if (packet.qos === 1) client.send(puback(packetId, ReasonCode.success));
  if (packet.qos === 2) {
    client.session.awaitingPubrel.add(packetId);
    client.send(pubrec(packetId, ReasonCode.success));
  }
}

function puback(messageId: number, reasonCode: number): IPubackPacket {
  return { cmd: 'puback', messageId, reasonCode };
}

function pubrec(messageId: number, reasonCode: number): IPubrecPacket {
  return { cmd: 'pubrec', messageId, reasonCode };
}
