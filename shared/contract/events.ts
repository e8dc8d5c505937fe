import { z } from 'zod';

/** Items of the `events` channel: business events and command-state items. */

export const KLIPPY_EVENTS = [
  'klippy:error',
  'klippy:shutdown',
  'klippy:disconnected',
  'klippy:ready',
] as const;

export const PRINT_EVENTS = [
  'print:started',
  'print:paused',
  'print:resumed',
  'print:completed',
  'print:cancelled',
  'print:failed',
  'print:toolchange',
] as const;

export const BUSINESS_EVENT_NAMES = [...KLIPPY_EVENTS, ...PRINT_EVENTS] as const;
export type BusinessEventName = (typeof BUSINESS_EVENT_NAMES)[number];
export type KlippyEventName = (typeof KLIPPY_EVENTS)[number];
export type PrintEventName = (typeof PRINT_EVENTS)[number];

export const SEVERITIES = ['info', 'warning', 'error', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** P0 events are never rate limited; P1 events go through a token bucket. */
export type EventPriority = 'P0' | 'P1';

export const EVENT_CATALOGUE: Record<
  BusinessEventName,
  { priority: EventPriority; severity: Severity }
> = {
  'klippy:error': { priority: 'P0', severity: 'critical' },
  'klippy:shutdown': { priority: 'P0', severity: 'critical' },
  'klippy:disconnected': { priority: 'P0', severity: 'error' },
  'klippy:ready': { priority: 'P0', severity: 'info' },
  'print:started': { priority: 'P1', severity: 'info' },
  'print:paused': { priority: 'P1', severity: 'info' },
  'print:resumed': { priority: 'P1', severity: 'info' },
  'print:completed': { priority: 'P1', severity: 'info' },
  'print:cancelled': { priority: 'P1', severity: 'warning' },
  'print:failed': { priority: 'P1', severity: 'error' },
  'print:toolchange': { priority: 'P1', severity: 'info' },
};

export const businessEventSchema = z.object({
  eventId: z.uuid(),
  eventName: z.enum(BUSINESS_EVENT_NAMES),
  severity: z.enum(SEVERITIES),
  message: z.string(),
  occurredAt: z.string(),
  sessionId: z.string().optional(),
  data: z.record(z.string(), z.unknown()).optional(),
});

export type BusinessEvent = z.infer<typeof businessEventSchema>;

export const COMMAND_STATE_EVENT = 'system:command-state';

export const COMMAND_STATES = [
  'dispatched',
  'accepted',
  'completed',
  'failed',
  'rejected',
  'abandoned',
  'timeout',
] as const;
export type CommandState = (typeof COMMAND_STATES)[number];

export const commandStateItemSchema = z.object({
  eventName: z.literal(COMMAND_STATE_EVENT),
  severity: z.enum(SEVERITIES),
  occurredAt: z.string(),
  data: z
    .object({
      commandId: z.string(),
      commandType: z.string(),
      state: z.enum(COMMAND_STATES),
    })
    .catchall(z.unknown()),
});

export type CommandStateItem = z.infer<typeof commandStateItemSchema>;

export const eventsPayloadSchema = z.object({
  cadence: z.object({ maxPerSecond: z.number(), maxPerMinute: z.number() }).optional(),
  items: z.array(z.union([commandStateItemSchema, businessEventSchema])).min(1),
});

export type EventsPayload = z.infer<typeof eventsPayloadSchema>;

/** Published on `events/disconnect` after a reconnect that followed an unexpected drop. */
export const DISCONNECT_CAUSES = ['connection_lost', 'auth_failure', 'broker_disconnect'] as const;
export type DisconnectCause = (typeof DISCONNECT_CAUSES)[number];

export const disconnectEventPayloadSchema = z.object({
  at: z.string(),
  cause: z.enum(DISCONNECT_CAUSES),
  reasonCode: z.number().int(),
  willReconnect: z.boolean(),
});
