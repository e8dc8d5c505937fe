import { z } from 'zod';

import { moonrakerError } from './errors.js';
import type { ObjectStatus } from './input.js';

/** Shapes of the Moonraker results this client reads, validated where they enter. */

export const objectStatusSchema = z.record(z.string(), z.record(z.string(), z.unknown()));

/** Result of `printer.objects.query` and `printer.objects.subscribe`. */
export const statusResultSchema = z.looseObject({
  eventtime: z.number().optional(),
  status: objectStatusSchema,
});

export const objectsListSchema = z.looseObject({ objects: z.array(z.string()) });

export const heatersStatusSchema = z.looseObject({
  available_heaters: z.array(z.string()).default([]),
  available_sensors: z.array(z.string()).default([]),
});

export const serverInfoSchema = z.looseObject({
  klippy_connected: z.boolean(),
  klippy_state: z.string(),
  moonraker_version: z.string().optional(),
  api_version_string: z.string().optional(),
  components: z.array(z.string()).default([]),
  warnings: z.array(z.string()).default([]),
});

export const printerInfoSchema = z.looseObject({
  state: z.string(),
  state_message: z.string().default(''),
  hostname: z.string().optional(),
  software_version: z.string().optional(),
});

export const fileMetadataSchema = z.record(z.string(), z.unknown());

/** `server.info`: Moonraker's version and whether Klippy is connected and in which state. */
export type ServerInfo = z.infer<typeof serverInfoSchema>;

/** `printer.info`: Klippy's state, message and host details. */
export type PrinterInfo = z.infer<typeof printerInfoSchema>;

/** Parses a result with the schema, or throws `invalid_response` naming the request. */
export function parseResult<T>(schema: z.ZodType<T>, value: unknown, request: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  throw moonrakerError(
    'invalid_response',
    `Moonraker sent an unexpected result for ${request}${where}: ${issue?.message ?? 'invalid'}.`,
    { details: { request } },
  );
}

export function parseStatus(value: unknown, request: string): ObjectStatus {
  return parseResult(statusResultSchema, value, request).status;
}
