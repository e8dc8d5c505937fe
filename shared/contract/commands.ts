import { z } from 'zod';

import { ENVELOPE_VERSION } from './envelope.js';

/** Command requests from the cloud and the acks the device sends back. */

export const COMMAND_NAMES = [
  'print:pause',
  'print:resume',
  'print:cancel',
  'print:emergency-stop',
  'print:firmware-restart',
  'print:start',
  'control:set-telemetry-rate',
  'heater:set-target',
  'heater:turn-off',
  'fan:set-speed',
  'led:set-brightness',
  'output-pin:set-value',
  'print-param:set-speed',
  'print-param:set-flow',
  'print-param:set-z-offset',
  'print-param:reset-z-offset',
  'gcode:macro',
  'object:exclude',
] as const;

export type CommandName = (typeof COMMAND_NAMES)[number];

export function isCommandName(name: string): name is CommandName {
  return (COMMAND_NAMES as readonly string[]).includes(name);
}

/** Commands that complete only once `print_stats.state` reaches the expected value. */
export const STATE_CONFIRMED_COMMANDS = {
  'print:pause': 'paused',
  'print:resume': 'printing',
  'print:cancel': 'cancelled',
} as const satisfies Partial<Record<CommandName, string>>;

export type StateConfirmedCommand = keyof typeof STATE_CONFIRMED_COMMANDS;

export const STATE_CONFIRMATION_TIMEOUT_SECONDS = 30;

export const COMMAND_ERROR_CODES = [
  'invalid_encoding',
  'invalid_json',
  'invalid_payload',
  'invalid_parameters',
  'payload_too_large',
  'unsupported_command',
  'moonraker_error',
  'gcode_error',
  'invalid_heater',
  'invalid_target',
  'invalid_speed',
  'invalid_flow',
  'invalid_brightness',
  'invalid_value',
  'invalid_z_offset',
  'invalid_identifier',
  'invalid_object_name',
  'invalid_filename',
  'missing_parameter',
  'forbidden_macro',
  'unknown_macro',
  'macro_preflight_failed',
  'object_not_found',
  'send_error',
  'led_command_failed',
  'output_pin_command_failed',
  'printer_busy',
  'state_unavailable',
  'sensors_unavailable',
  'telemetry_unavailable',
  'state_timeout',
  'agent_restart',
  'command_failed',
] as const;

export type CommandErrorCode = (typeof COMMAND_ERROR_CODES)[number];

export const ACK_STATUSES = ['accepted', 'completed', 'failed'] as const;
export type AckStatus = (typeof ACK_STATUSES)[number];

export const ACK_STAGES = ['dispatch', 'execution'] as const;
export type AckStage = (typeof ACK_STAGES)[number];

export const COMMAND_REQUEST_TYPE = 'command.request';
export const COMMAND_ACK_TYPE = 'command.ack';

/** Largest command payload the device parses; larger ones get `payload_too_large`. */
export const MAX_COMMAND_PAYLOAD_BYTES = 64 * 1024;

const parametersSchema = z.record(z.string(), z.unknown());

/** Current request format: a `command.request` envelope with the business object in `payload`. */
export const envelopeCommandRequestSchema = z.looseObject({
  $v: z.number().optional(),
  $type: z.literal(COMMAND_REQUEST_TYPE).optional(),
  $id: z.union([z.string(), z.number()]),
  $ts: z.string().optional(),
  $origin: z.string().optional(),
  deviceId: z.string().optional(),
  payload: z.looseObject({
    command: z.string().optional(),
    action: z.string().optional(),
    parameters: parametersSchema.optional(),
  }),
});

/** Legacy request format: a flat document. `parameters` may also arrive as `payload`. */
export const legacyCommandRequestSchema = z.looseObject({
  commandId: z.union([z.string(), z.number()]),
  command: z.string().optional(),
  action: z.string().optional(),
  parameters: parametersSchema.optional(),
  payload: parametersSchema.optional(),
});

export const ackReasonSchema = z.object({
  code: z.string().optional(),
  message: z.string().optional(),
});

export const commandAckSchema = z.object({
  $v: z.literal(ENVELOPE_VERSION),
  $type: z.literal(COMMAND_ACK_TYPE),
  $id: z.uuid(),
  $ts: z.string(),
  $origin: z.string(),
  deviceId: z.string(),
  payload: z.object({
    commandId: z.string(),
    status: z.enum(ACK_STATUSES),
    stage: z.enum(ACK_STAGES),
    tenantId: z.string().optional(),
    printerId: z.string().optional(),
    correlation: z.object({ tenantId: z.string(), printerId: z.string() }).partial().optional(),
    reason: ackReasonSchema.optional(),
    result: z.record(z.string(), z.unknown()).optional(),
    skipped: z.literal(true).optional(),
  }),
});

export type CommandAck = z.infer<typeof commandAckSchema>;
export type AckReason = z.infer<typeof ackReasonSchema>;
