import { z } from 'zod';

import { controlErrorSchema } from './errors.js';

/**
 * Frames of the control API over a WebSocket: a request with an id, its response with the same
 * id carrying either a result or an error, and events with no id.
 */

export const CONTROL_PROTOCOL_VERSION = 1;

/** Header or query parameter that carries the control token on the WebSocket upgrade. */
export const CONTROL_TOKEN_QUERY = 'token';
export const CONTROL_SOCKET_PATH = '/control';

/** Largest request frame the service reads. */
export const MAX_CONTROL_FRAME_BYTES = 256 * 1024;

export const requestFrameSchema = z.object({
  id: z.number().int().nonnegative(),
  method: z.string().min(1).max(64),
  params: z.unknown().optional(),
});
export type RequestFrame = z.infer<typeof requestFrameSchema>;

export const responseFrameSchema = z.union([
  z.object({ id: z.number().int(), result: z.unknown() }),
  z.object({ id: z.number().int().nullable(), error: controlErrorSchema }),
]);
export type ResponseFrame = z.infer<typeof responseFrameSchema>;

export const eventFrameSchema = z.object({ event: z.string(), data: z.unknown() });
export type EventFrame = z.infer<typeof eventFrameSchema>;
