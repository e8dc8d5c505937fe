/**
 * The part of the WebSocket API that the control client uses. Both the browser's `WebSocket` and
 * the `ws` package's class satisfy it, so the client runs in the renderer and in Node tests.
 */
export interface ControlSocket {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'error', listener: () => void): void;
  addEventListener(
    type: 'close',
    listener: (event: { code: number; reason: string }) => void,
  ): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

export type ControlSocketConstructor = new (url: string) => ControlSocket;

/**
 * Timers of the control client. The main process's `Clock` satisfies it, and so do the global
 * `setTimeout` and `clearTimeout` of browsers and Node.
 */
export interface ClientTimers {
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const globalTimers: ClientTimers = {
  setTimeout: (callback, delayMs) => globalThis.setTimeout(callback, delayMs),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as Parameters<typeof clearTimeout>[0]),
};
