import { z } from 'zod';

import { ControlError } from '../../../shared/control-api/control-error.js';
import { controlErrorSchema } from '../../../shared/control-api/errors.js';
import {
  controlEvents,
  type ControlEventData,
  type ControlEventName,
} from '../../../shared/control-api/events.js';
import {
  controlMethods,
  type ControlMethodName,
  type ControlParams,
  type ControlResult,
} from '../../../shared/control-api/methods.js';
import type { ControlTransport, TransportState } from './control-transport.js';

/** The verbs that the Electron preload exposes as `window.owl`. */
export interface OwlBridge {
  call(method: string, params: unknown): Promise<unknown>;
  on(event: string, listener: (data: unknown) => void): () => void;
  openExternal?(url: string): void;
}

declare global {
  interface Window {
    owl?: OwlBridge;
  }
}

/**
 * The control API through the Electron preload. IPC is always connected, so the state stays
 * `open`. Results and events are validated here as well, because the renderer trusts no edge.
 */
export class OwlBridgeTransport implements ControlTransport {
  readonly state: TransportState = 'open';

  constructor(
    private readonly bridge: OwlBridge,
    private readonly openWindow: (url: string) => void = (url) =>
      window.open(url, '_blank', 'noopener'),
  ) {}

  async call<M extends ControlMethodName>(
    method: M,
    params: ControlParams<M>,
  ): Promise<ControlResult<M>> {
    const result = await callBridge(this.bridge, method, params, controlMethods[method].result);
    return result as ControlResult<M>;
  }

  on<E extends ControlEventName>(
    event: E,
    listener: (data: ControlEventData<E>) => void,
  ): () => void {
    return this.bridge.on(event, (data) => {
      const parsed = controlEvents[event].safeParse(data);
      if (parsed.success) listener(parsed.data as ControlEventData<E>);
      else console.warn(`The desktop shell sent an invalid ${event} event`);
    });
  }

  onStateChange(): () => void {
    return () => undefined;
  }

  openExternal(url: string): void {
    if (this.bridge.openExternal) this.bridge.openExternal(url);
    else this.openWindow(url);
  }
}

/**
 * Calls a method through the preload and parses its result with `result`. Rejects with the
 * service's coded error, or `invalid_response` for a result that does not match.
 */
export async function callBridge(
  bridge: OwlBridge,
  method: string,
  params: unknown,
  result: z.ZodType,
): Promise<unknown> {
  let value: unknown;
  try {
    value = await bridge.call(method, params);
  } catch (error) {
    throw toControlError(error);
  }
  const parsed = result.safeParse(value);
  if (!parsed.success) {
    throw new ControlError('invalid_response', `${method} returned an invalid result`);
  }
  return parsed.data;
}

/** Rebuilds the coded error that the preload passes on, or wraps anything else as `internal`. */
function toControlError(error: unknown): ControlError {
  const data = controlErrorSchema.safeParse(error);
  if (data.success) return ControlError.fromData(data.data);
  const message = z.object({ message: z.string() }).safeParse(error);
  return new ControlError('internal', message.success ? message.data.message : String(error), {
    source: 'service',
  });
}
