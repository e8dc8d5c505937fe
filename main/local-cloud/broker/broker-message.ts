import type { IConnectPacket, IPublishPacket, QoS, UserProperties } from 'mqtt-packet';

/** MQTT 5 PUBLISH properties that travel from the publisher to every subscriber unchanged. */
export interface ForwardedProperties {
  payloadFormatIndicator?: boolean;
  contentType?: string;
  responseTopic?: string;
  correlationData?: Buffer;
  userProperties?: UserProperties;
}

/** Forwarded properties plus the message expiry interval, in seconds, as a publisher sets it. */
export type PublishProperties = ForwardedProperties & { messageExpiryInterval?: number };

/** An application message inside the broker, from the moment it is accepted until delivered. */
export interface BrokerMessage {
  readonly topic: string;
  readonly payload: Buffer;
  readonly qos: QoS;
  readonly retain: boolean;
  readonly properties: ForwardedProperties;
  /** Monotonic milliseconds after which the message is no longer delivered; undefined: never. */
  readonly expiresAt: number | undefined;
  /** Client id of the publisher, or undefined for a message the broker publishes itself. */
  readonly senderClientId: string | undefined;
}

type ConnectWill = NonNullable<IConnectPacket['will']>;

/** Copies only the properties a broker forwards: never topic aliases or subscription ids. */
export function forwardedProperties(
  properties: PublishProperties | undefined,
): ForwardedProperties {
  const forwarded: ForwardedProperties = {};
  if (!properties) return forwarded;

  if (properties.payloadFormatIndicator !== undefined) {
    forwarded.payloadFormatIndicator = properties.payloadFormatIndicator;
  }
  if (properties.contentType !== undefined) forwarded.contentType = properties.contentType;
  if (properties.responseTopic !== undefined) forwarded.responseTopic = properties.responseTopic;
  if (properties.correlationData !== undefined) {
    forwarded.correlationData = properties.correlationData;
  }
  if (properties.userProperties !== undefined) {
    forwarded.userProperties = properties.userProperties;
  }
  return forwarded;
}

function expiryDeadline(intervalSeconds: number | undefined, nowMs: number): number | undefined {
  return intervalSeconds === undefined ? undefined : nowMs + intervalSeconds * 1000;
}

export function messageFromPublish(
  packet: IPublishPacket,
  senderClientId: string | undefined,
  nowMs: number,
): BrokerMessage {
  return {
    topic: packet.topic,
    payload: toBuffer(packet.payload),
    qos: packet.qos,
    retain: packet.retain,
    properties: forwardedProperties(packet.properties),
    expiresAt: expiryDeadline(packet.properties?.messageExpiryInterval, nowMs),
    senderClientId,
  };
}

export function messageFromWill(will: ConnectWill, clientId: string, nowMs: number): BrokerMessage {
  return {
    topic: will.topic,
    payload: toBuffer(will.payload),
    qos: will.qos ?? 0,
    retain: will.retain ?? false,
    properties: forwardedProperties(will.properties),
    expiresAt: expiryDeadline(will.properties?.messageExpiryInterval, nowMs),
    senderClientId: clientId,
  };
}

export function toBuffer(payload: string | Buffer): Buffer {
  return typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
}

export function isExpired(message: BrokerMessage, nowMs: number): boolean {
  return message.expiresAt !== undefined && message.expiresAt <= nowMs;
}

/** Returns the properties a subscriber receives, with the expiry interval reduced by the wait. */
export function deliveredProperties(message: BrokerMessage, nowMs: number): PublishProperties {
  if (message.expiresAt === undefined) return { ...message.properties };
  const remainingSeconds = Math.max(1, Math.ceil((message.expiresAt - nowMs) / 1000));
  return { ...message.properties, messageExpiryInterval: remainingSeconds };
}

/** Builds the PUBLISH packet that carries `message` to one subscriber. */
export function outgoingPublish(
  message: BrokerMessage,
  delivery: { qos: QoS; retain: boolean; dup: boolean; messageId: number | undefined },
  nowMs: number,
): IPublishPacket {
  const packet: IPublishPacket = {
    cmd: 'publish',
    topic: message.topic,
    payload: message.payload,
    qos: delivery.qos,
    retain: delivery.retain,
    dup: delivery.dup,
    properties: deliveredProperties(message, nowMs),
  };
  if (delivery.messageId !== undefined) packet.messageId = delivery.messageId;
  return packet;
}
