import { z } from 'zod';

import type { OwlDesktopBridge } from '../../../shared/contract/desktop-ipc.js';
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
export type OwlBridge = OwlDesktopBridge;

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
    const verb = this.bridge.api[method];
    const result = await callBridge(verb, method, params, controlMethods[method].result);
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
    const open = this.bridge.app['app.openExternal'];
    if (!open) {
      this.openWindow(url);
      return;
    }
    open({ url }).catch((error: unknown) => console.warn(`Opening ${url} failed`, error));
  }
}

/**
 * Calls one of the preload's named verbs and parses its result with `result`. Rejects with the
 * service's coded error, `unknown_method` when the preload has no such verb, or
 * `invalid_response` for a result that does not match.
 */
export async function callBridge(
  verb: ((params?: unknown) => Promise<unknown>) | undefined,
  method: string,
  params: unknown,
  result: z.ZodType,
): Promise<unknown> {
  if (!verb) {
    throw new ControlError(
      'unknown_method',
      `The desktop app offers no method ${method}; the window and the app may be of different versions`,
    );
  }
  let value: unknown;
  try {
    value = await verb(params);
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
