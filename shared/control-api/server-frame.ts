import {
  eventFrameSchema,
  responseFrameSchema,
  type EventFrame,
  type ResponseFrame,
} from './protocol.js';

/** A frame from the service, sorted into a response, an event or a frame the client rejects. */
export type ServerFrame =
  | { kind: 'response'; frame: ResponseFrame }
  | { kind: 'event'; frame: EventFrame }
  | { kind: 'invalid'; reason: string };

export function parseServerFrame(data: unknown): ServerFrame {
  if (typeof data !== 'string') return { kind: 'invalid', reason: 'a binary frame' };

  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return { kind: 'invalid', reason: 'a frame that is not JSON' };
  }

  const event = eventFrameSchema.safeParse(value);
  if (event.success) return { kind: 'event', frame: event.data };
  const response = responseFrameSchema.safeParse(value);
  if (response.success) return { kind: 'response', frame: response.data };
  return { kind: 'invalid', reason: 'a frame that is neither a response nor an event' };
}
