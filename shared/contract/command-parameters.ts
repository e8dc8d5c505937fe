import { z } from 'zod';

import type { CommandName } from './commands.js';
import { sensorModeSchema } from './sensors.js';
import { parseCloudTimestamp } from './time.js';

/**
 * Parameter schemas of every command. They check presence and type only: ranges, printer-specific
 * names and G-code safety are checked by the handlers, which reject with more specific error codes.
 * Unknown fields are stripped, so the cloud may add fields without breaking older devices.
 */

const NUMERIC_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A JSON number or a string that contains one, such as `"210"` or `" 0.5 "`. */
export const numericParameterSchema = z
  .union([z.number(), z.string().trim().regex(NUMERIC_TEXT).transform(Number)], {
    error: 'expected a number or a numeric string',
  })
  .pipe(z.number({ error: 'expected a finite number' }));

/** An ISO-8601 timestamp from the cloud, as epoch milliseconds. A missing or null value is absent. */
export const cloudTimestampParameterSchema = z
  .string({ error: 'expected an ISO-8601 timestamp string' })
  .nullish()
  .transform((text, context) => {
    if (text === null || text === undefined) return undefined;
    const epochMs = parseCloudTimestamp(text);
    if (epochMs !== null) return epochMs;
    context.addIssue({ code: 'custom', message: `expected an ISO-8601 timestamp, got '${text}'` });
    return z.NEVER;
  });

const requiredText = z.string({ error: 'expected a string' }).trim().min(1, 'must not be empty');

export const noParametersSchema = z.object({});

/** The file name is not trimmed, because spaces are valid at either end of a file name. */
export const printStartParametersSchema = z.object({
  filename: z.string({ error: 'expected a string' }).min(1, 'must not be empty'),
});

export const setTelemetryRateParametersSchema = z.object({
  mode: z
    .string({ error: 'expected a string' })
    .trim()
    .toLowerCase()
    .pipe(sensorModeSchema)
    .optional(),
  intervalSeconds: numericParameterSchema.pipe(z.number().positive()).optional(),
  maxHz: numericParameterSchema.pipe(z.number().nonnegative()).optional(),
  /** Fractions are truncated; a negative duration counts as absent. */
  durationSeconds: numericParameterSchema
    .transform((seconds) => (seconds < 0 ? undefined : Math.trunc(seconds)))
    .optional(),
  issuedAt: cloudTimestampParameterSchema,
  /** Older name of `issuedAt`. */
  requestedAt: cloudTimestampParameterSchema,
  serverUtcNow: cloudTimestampParameterSchema,
  expiresAt: cloudTimestampParameterSchema,
});

export const heaterTargetParametersSchema = z.object({
  heater: requiredText.toLowerCase(),
  target: numericParameterSchema,
});

export const heaterTurnOffParametersSchema = z.object({ heater: requiredText.toLowerCase() });

export const fanSpeedParametersSchema = z.object({
  fan: requiredText,
  speed: numericParameterSchema,
});

export const ledBrightnessParametersSchema = z.object({
  led: requiredText,
  brightness: numericParameterSchema,
});

export const outputPinValueParametersSchema = z.object({
  pin: requiredText,
  value: numericParameterSchema,
});

export const printPercentParametersSchema = z.object({ percent: numericParameterSchema });

export const zOffsetParametersSchema = z.object({ adjustMm: numericParameterSchema });

export const macroParametersSchema = z.object({ macro: requiredText });

/** `objectName` is optional here because its absence has its own code, `missing_parameter`. */
export const objectExcludeParametersSchema = z.object({
  objectName: z.string({ error: 'expected a string' }).trim().optional(),
});

export const COMMAND_PARAMETER_SCHEMAS = {
  'print:pause': noParametersSchema,
  'print:resume': noParametersSchema,
  'print:cancel': noParametersSchema,
  'print:emergency-stop': noParametersSchema,
  'print:firmware-restart': noParametersSchema,
  'print:start': printStartParametersSchema,
  'control:set-telemetry-rate': setTelemetryRateParametersSchema,
  'heater:set-target': heaterTargetParametersSchema,
  'heater:turn-off': heaterTurnOffParametersSchema,
  'fan:set-speed': fanSpeedParametersSchema,
  'led:set-brightness': ledBrightnessParametersSchema,
  'output-pin:set-value': outputPinValueParametersSchema,
  'print-param:set-speed': printPercentParametersSchema,
  'print-param:set-flow': printPercentParametersSchema,
  'print-param:set-z-offset': zOffsetParametersSchema,
  'print-param:reset-z-offset': noParametersSchema,
  'gcode:macro': macroParametersSchema,
  'object:exclude': objectExcludeParametersSchema,
} as const satisfies Record<CommandName, z.ZodType>;

export type CommandParameters<Name extends CommandName> = z.output<
  (typeof COMMAND_PARAMETER_SCHEMAS)[Name]
>;
