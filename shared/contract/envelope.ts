import { z } from 'zod';

import type { TelemetryChannel } from './topics.js';

/** `$`-prefixed telemetry envelope, version 1, as the current cloud expects it. */

export const ENVELOPE_VERSION = 1;

export const TELEMETRY_TYPES = {
  status: 'telemetry.status',
  sensors: 'telemetry.sensors',
  events: 'telemetry.events',
  objects: 'telemetry.objects',
  health: 'telemetry.health',
} as const satisfies Record<TelemetryChannel, string>;

export const DISCONNECT_EVENT_TYPE = 'telemetry.event.disconnect';

/** MQTT quality of service per channel. Nothing is retained except the Offline status and health. */
export const CHANNEL_QOS = {
  status: 1,
  sensors: 0,
  events: 2,
  objects: 1,
  health: 1,
} as const satisfies Record<TelemetryChannel, 0 | 1 | 2>;

export const ACK_QOS = 1;
export const COMMAND_SUBSCRIPTION_QOS = 1;

export const envelopeKindSchema = z.enum(['full', 'delta']);

export const telemetryEnvelopeSchema = z.object({
  $v: z.literal(ENVELOPE_VERSION),
  $type: z.enum(Object.values(TELEMETRY_TYPES) as [string, ...string[]]),
  $id: z.uuid(),
  $ts: z.string(),
  $origin: z.string().min(1),
  $seq: z.number().int().nonnegative(),
  kind: envelopeKindSchema,
  sessionId: z.string().nullable(),
  deviceId: z.string().min(1),
  payload: z.record(z.string(), z.unknown()),
  tenantId: z.string().optional(),
  printerId: z.string().optional(),
});

export type TelemetryEnvelope = z.infer<typeof telemetryEnvelopeSchema>;

/** Identity fields that every envelope and ack carries when they are known. */
export interface DeviceIdentity {
  deviceId: string;
  tenantId?: string;
  printerId?: string;
}

export function originOf(version: string): string {
  return `moonraker-owl@${version}`;
}

/** W3C trace context header value sent as an MQTT-5 user property on every telemetry publish. */
export const TRACEPARENT_PROPERTY = 'traceparent';
