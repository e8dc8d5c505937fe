import type { IPublishPacket } from 'mqtt-packet';
import { z } from 'zod';

import { commandAckSchema, type CommandAck } from '../../shared/contract/commands.js';
import {
  CHANNEL_QOS,
  DISCONNECT_EVENT_TYPE,
  TELEMETRY_TYPES,
  TRACEPARENT_PROPERTY,
  telemetryEnvelopeSchema,
  type TelemetryEnvelope,
} from '../../shared/contract/envelope.js';
import {
  COMMAND_STATE_EVENT,
  disconnectEventPayloadSchema,
  eventsPayloadSchema,
  type BusinessEvent,
  type CommandStateItem,
  type EventsPayload,
} from '../../shared/contract/events.js';
import { sensorsPayloadSchema } from '../../shared/contract/sensors.js';
import { statusPayloadSchema } from '../../shared/contract/status.js';
import { TOPIC_ROOT } from '../../shared/contract/topics.js';

/**
 * Decodes one message an operator receives under `owl/printers/#` and checks it against the
 * contract schemas of its topic: the envelope, the body of its channel, its QoS and, for
 * telemetry, the `traceparent` user property.
 */

export type CloudMessageKind =
  'status' | 'sensors' | 'events' | 'objects' | 'disconnect' | 'ack' | 'command' | 'unknown';

export interface CloudMessage {
  readonly topic: string;
  readonly kind: CloudMessageKind;
  /** Device id segment of the topic. */
  readonly deviceId: string;
  /** Command name segment of an ack or command topic, as it appears in the topic. */
  readonly topicCommandName?: string;
  readonly qos: number;
  readonly retain: boolean;
  /** `performance.now()` at arrival, comparable with the simulator's frame times. */
  readonly receivedAt: number;
  readonly text: string;
  /** The parsed JSON, or undefined when the payload is not JSON. */
  readonly body: unknown;
  /** Contract violations found, none for a valid message. */
  readonly problems: readonly string[];
}

const TRACEPARENT_PATTERN = /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/;

/** Objects channel body: excluded names, the current object and optional definitions. */
const objectsPayloadSchema = z.object({
  excluded: z.array(z.string()),
  current: z.string().nullable(),
  definitions: z
    .array(
      z.object({
        name: z.string(),
        center: z.array(z.number()).optional(),
        polygon: z.array(z.array(z.number())).optional(),
      }),
    )
    .optional(),
});

const disconnectEnvelopeSchema = z.object({
  $v: z.literal(2),
  $type: z.literal(DISCONNECT_EVENT_TYPE),
  $id: z.uuid(),
  $ts: z.string(),
  $origin: z.string().min(1),
  deviceId: z.string().min(1),
  payload: disconnectEventPayloadSchema,
});

const PAYLOAD_SCHEMAS = {
  status: statusPayloadSchema,
  sensors: sensorsPayloadSchema,
  events: eventsPayloadSchema,
  objects: objectsPayloadSchema,
} as const;

type TelemetryKind = keyof typeof PAYLOAD_SCHEMAS;

export function decodeCloudMessage(topic: string, payload: Buffer, packet: IPublishPacket) {
  const { kind, deviceId, topicCommandName } = classifyTopic(topic);
  const text = payload.toString('utf8');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const problems = kind === 'command' ? [] : checkMessage(kind, deviceId, body, packet);
  const message: CloudMessage = {
    topic,
    kind,
    deviceId,
    ...(topicCommandName === undefined ? {} : { topicCommandName }),
    qos: packet.qos,
    retain: packet.retain,
    receivedAt: performance.now(),
    text,
    body,
    problems,
  };
  return message;
}

function classifyTopic(topic: string): {
  kind: CloudMessageKind;
  deviceId: string;
  topicCommandName?: string;
} {
  const prefix = `${TOPIC_ROOT}/`;
  if (!topic.startsWith(prefix)) return { kind: 'unknown', deviceId: '' };
  const [deviceId = '', ...rest] = topic.slice(prefix.length).split('/');
  const path = rest.join('/');
  if (path === 'events/disconnect') return { kind: 'disconnect', deviceId };
  if (rest.length === 1 && isTelemetryKind(path)) return { kind: path, deviceId };
  if (rest.length === 2 && rest[0] === 'acks') {
    return { kind: 'ack', deviceId, topicCommandName: rest[1] ?? '' };
  }
  if (rest.length === 2 && rest[0] === 'commands') {
    return { kind: 'command', deviceId, topicCommandName: rest[1] ?? '' };
  }
  return { kind: 'unknown', deviceId };
}

function isTelemetryKind(name: string): name is TelemetryKind {
  return Object.hasOwn(PAYLOAD_SCHEMAS, name);
}

function checkMessage(
  kind: CloudMessageKind,
  deviceId: string,
  body: unknown,
  packet: IPublishPacket,
): string[] {
  if (body === undefined) return ['payload is not JSON'];
  switch (kind) {
    case 'status':
    case 'sensors':
    case 'events':
    case 'objects':
      return checkTelemetry(kind, deviceId, body, packet);
    case 'ack':
      return [...schemaProblems(commandAckSchema, body), ...qosProblems(packet, 1)];
    case 'disconnect':
      return [...schemaProblems(disconnectEnvelopeSchema, body), ...qosProblems(packet, 1)];
    case 'command':
      return [];
    case 'unknown':
      return [`unexpected topic ${packet.topic}`];
  }
}

function checkTelemetry(
  kind: TelemetryKind,
  deviceId: string,
  body: unknown,
  packet: IPublishPacket,
): string[] {
  const envelope = telemetryEnvelopeSchema.safeParse(body);
  if (!envelope.success) return [`envelope: ${z.prettifyError(envelope.error)}`];

  const problems = schemaProblems(PAYLOAD_SCHEMAS[kind], envelope.data.payload, 'payload');
  if (envelope.data.$type !== TELEMETRY_TYPES[kind]) {
    problems.push(`$type ${envelope.data.$type} on the ${kind} topic`);
  }
  if (envelope.data.deviceId !== deviceId) problems.push('deviceId differs from the topic');
  problems.push(...qosProblems(packet, CHANNEL_QOS[kind]));
  // NOTE: the Offline status (the Will or the graceful stop, `$seq` 0) carries no traceparent, so
  // only live telemetry is checked for it.
  if (envelope.data.$seq === 0) return problems;
  const traceparent = packet.properties?.userProperties?.[TRACEPARENT_PROPERTY];
  if (typeof traceparent !== 'string' || !TRACEPARENT_PATTERN.test(traceparent)) {
    problems.push(`traceparent user property missing or malformed: ${String(traceparent)}`);
  }
  return problems;
}

function schemaProblems(schema: z.ZodType, value: unknown, label = 'body'): string[] {
  const parsed = schema.safeParse(value);
  return parsed.success ? [] : [`${label}: ${z.prettifyError(parsed.error)}`];
}

/** The subscription requests QoS 2, so each message arrives with the QoS it was published with. */
function qosProblems(packet: IPublishPacket, expected: number): string[] {
  return packet.qos === expected ? [] : [`QoS ${packet.qos}, expected ${expected}`];
}

export function telemetryEnvelopeOf(message: CloudMessage): TelemetryEnvelope {
  return telemetryEnvelopeSchema.parse(message.body);
}

export function ackOf(message: CloudMessage): CommandAck {
  return commandAckSchema.parse(message.body);
}

function eventItemsOf(message: CloudMessage): EventsPayload['items'] {
  return eventsPayloadSchema.parse(telemetryEnvelopeOf(message).payload).items;
}

/** Business events of an events message, in the order of its items, without command states. */
export function businessEventsOf(message: CloudMessage): BusinessEvent[] {
  return eventItemsOf(message).filter(
    (item): item is BusinessEvent => item.eventName !== COMMAND_STATE_EVENT,
  );
}

/** Command-state items of an events message, in the order of its items. */
export function commandStatesOf(message: CloudMessage): CommandStateItem[] {
  return eventItemsOf(message).filter(
    (item): item is CommandStateItem => item.eventName === COMMAND_STATE_EVENT,
  );
}
