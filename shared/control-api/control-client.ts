import { checkParams, parseResult } from './call-validation.js';
import { ClientLifecycle, type ControlClientState } from './client-state.js';
import { ControlError } from './control-error.js';
import {
  globalTimers,
  type ClientTimers,
  type ControlSocket,
  type ControlSocketConstructor,
} from './control-socket.js';
import { ControlEventListeners } from './control-event-listeners.js';
import type { ControlEventData, ControlEventName } from './events.js';
import type { ControlMethodName, ControlParams, ControlResult } from './methods.js';
import { PendingCalls } from './pending-calls.js';
import { CONTROL_TOKEN_QUERY, type ResponseFrame } from './protocol.js';
import { parseServerFrame } from './server-frame.js';

export interface ControlClientOptions {
  /** Socket address such as `ws://127.0.0.1:8765/control`, without the token. */
  url: string;
  token: string;
  /** The browser's `WebSocket`, or the `ws` package's class in Node. */
  WebSocket: ControlSocketConstructor;
  /** Deadline of each call in milliseconds unless the call sets its own. Default 15 s. */
  callTimeoutMs?: number;
  /** Deadline of each connection attempt in milliseconds. Default 10 s. */
  connectTimeoutMs?: number;
  /** Bounds of the reconnect backoff in milliseconds. Default 250 ms, doubling up to 10 s. */
  reconnectInitialMs?: number;
  reconnectMaxMs?: number;
  timers?: ClientTimers;
  /** Uniform in [0, 1), for the reconnect jitter. */
  random?: () => number;
  /** Receives what the client cannot hand to a caller: invalid frames, listener exceptions. */
  reportError?: (message: string, cause?: unknown) => void;
}

export interface CallOptions {
  timeoutMs?: number;
}

/** Arguments of `call`: the params may be left out when the method needs none. */
export type CallArgs<M extends ControlMethodName> =
  Record<string, never> extends ControlParams<M>
    ? [params?: ControlParams<M>, options?: CallOptions]
    : [params: ControlParams<M>, options?: CallOptions];

/**
 * Client of the control API over a WebSocket. Calls reject with a `ControlError` that carries
 * the service's code, or `timeout`, `disconnected` or `invalid_response`. After a connection
 * drops, the client reconnects with full-jitter backoff. Events need no subscription because the
 * service sends them to every client, so listeners keep working across reconnects.
 */
export class ControlClient {
  private socket: ControlSocket | null = null;
  private lastFailure: ControlError | null = null;
  private connectTimer: unknown = null;
  private reconnectTimer: unknown = null;
  private reconnectAttempt = 0;
  /** Whether a socket has opened since `connect`, which makes later failures worth retrying. */
  private opened = false;
  private readonly timers: ClientTimers;
  private readonly calls: PendingCalls;
  private readonly events: ControlEventListeners;
  private readonly lifecycle: ClientLifecycle;

  constructor(private readonly options: ControlClientOptions) {
    this.timers = options.timers ?? globalTimers;
    this.calls = new PendingCalls(this.timers);
    const reportError = (message: string, cause?: unknown): void =>
      this.reportError(message, cause);
    this.events = new ControlEventListeners(reportError);
    this.lifecycle = new ClientLifecycle(reportError);
  }

  get currentState(): ControlClientState {
    return this.lifecycle.state;
  }

  /**
   * Resolves once the socket is open. From `idle` this starts a connection attempt, and a failed
   * first attempt rejects with `disconnected` and returns to `idle` without retrying.
   */
  connect(): Promise<void> {
    if (this.currentState === 'closed') {
      return Promise.reject(new ControlError('disconnected', 'The control client is closed'));
    }
    const opened = this.lifecycle.whenOpen(() => this.lastFailure);
    if (this.currentState === 'idle') this.openSocket();
    return opened;
  }

  call<M extends ControlMethodName>(method: M, ...args: CallArgs<M>): Promise<ControlResult<M>> {
    const [params = {}, options] = args;
    const invalid = checkParams(method, params);
    if (invalid) return Promise.reject(invalid);
    const socket = this.socket;
    const state = this.currentState;
    if (state !== 'open' || !socket) {
      const message = `Cannot call ${method}: the control client is not connected (${state})`;
      return Promise.reject(new ControlError('disconnected', message));
    }

    const timeoutMs = options?.timeoutMs ?? this.options.callTimeoutMs ?? 15_000;
    const { id, result } = this.calls.register(method, timeoutMs);
    this.sendRequest(socket, id, method, params);
    return result.then((value) => parseResult(method, value));
  }

  /** Adds a listener for one event and returns the function that removes it. */
  on<E extends ControlEventName>(
    event: E,
    listener: (data: ControlEventData<E>) => void,
  ): () => void {
    return this.events.add(event, listener);
  }

  /** Adds a listener for state changes and returns the function that removes it. */
  onStateChange(listener: (state: ControlClientState) => void): () => void {
    return this.lifecycle.onChange(listener);
  }

  /** Closes the socket, stops reconnecting and rejects pending calls. Later calls do nothing. */
  close(): void {
    if (this.currentState === 'closed') return;
    this.clearTimers();
    const socket = this.detachSocket();
    this.lifecycle.transition('closed');
    closeQuietly(socket, 1000, 'client closed');
    this.calls.rejectAll(
      (method) => new ControlError('disconnected', `The control client closed during ${method}`),
    );
    this.events.clear();
    this.lifecycle.clearListeners();
  }

  private openSocket(): void {
    this.lifecycle.transition('connecting');
    let socket: ControlSocket;
    try {
      const url = new URL(this.options.url);
      url.searchParams.set(CONTROL_TOKEN_QUERY, this.options.token);
      socket = new this.options.WebSocket(url.href);
    } catch (error) {
      this.attemptFailed(`the socket could not be created (${describeCause(error)})`);
      return;
    }
    this.socket = socket;
    socket.addEventListener('open', () => this.handleOpen(socket));
    socket.addEventListener('close', (event) => this.handleClose(socket, event));
    socket.addEventListener('message', (event) => this.handleMessage(socket, event.data));
    // A close event follows every error event and decides what happens next. The listener is
    // still needed because an error event without one is thrown in Node's `ws`.
    socket.addEventListener('error', () => undefined);
    this.connectTimer = this.timers.setTimeout(
      () => this.handleConnectTimeout(socket),
      this.options.connectTimeoutMs ?? 10_000,
    );
  }

  private handleOpen(socket: ControlSocket): void {
    if (socket !== this.socket) return;
    this.clearConnectTimer();
    this.reconnectAttempt = 0;
    this.lastFailure = null;
    this.opened = true;
    this.lifecycle.transition('open');
  }

  private handleConnectTimeout(socket: ControlSocket): void {
    if (socket !== this.socket) return;
    this.connectTimer = null;
    this.detachSocket();
    closeQuietly(socket, 1000, 'connection attempt timed out');
    this.attemptFailed('the connection attempt timed out');
  }

  private handleClose(socket: ControlSocket, event: { code: number; reason: string }): void {
    if (socket !== this.socket) return;
    this.detachSocket();
    this.clearConnectTimer();
    const closedWhileOpen = this.currentState === 'open';
    const detail = event.reason ? `${event.code} ${event.reason}` : String(event.code);
    if (!closedWhileOpen) {
      this.attemptFailed(`the socket closed with code ${detail}`);
      return;
    }
    this.calls.rejectAll(
      (method) =>
        new ControlError('disconnected', `The connection closed before ${method} returned`),
    );
    this.scheduleReconnect();
  }

  private attemptFailed(reason: string): void {
    const message = `Cannot connect to the control API at ${this.options.url}: ${reason}`;
    this.lastFailure = new ControlError('disconnected', message);
    if (this.opened) this.scheduleReconnect();
    else this.lifecycle.transition('idle');
  }

  private scheduleReconnect(): void {
    const initialMs = this.options.reconnectInitialMs ?? 250;
    const maxMs = this.options.reconnectMaxMs ?? 10_000;
    const bound = Math.min(maxMs, initialMs * 2 ** this.reconnectAttempt);
    const delayMs = Math.floor((this.options.random ?? Math.random)() * bound);
    this.reconnectAttempt += 1;
    this.lifecycle.transition('waiting');
    this.reconnectTimer = this.timers.setTimeout(() => {
      this.reconnectTimer = null;
      if (this.currentState === 'waiting') this.openSocket();
    }, delayMs);
  }

  private handleMessage(socket: ControlSocket, data: unknown): void {
    if (socket !== this.socket) return;
    const parsed = parseServerFrame(data);
    switch (parsed.kind) {
      case 'invalid':
        this.reportError(`The control API sent ${parsed.reason}`);
        return;
      case 'event':
        this.events.emit(parsed.frame.event, parsed.frame.data);
        return;
      case 'response':
        this.settleCall(parsed.frame);
        return;
    }
  }

  private settleCall(frame: ResponseFrame): void {
    if ('result' in frame) {
      this.calls.resolve(frame.id, frame.result);
      return;
    }
    const error = ControlError.fromData(frame.error);
    // A null id marks the error for a frame that the service could not parse at all.
    if (frame.id === null || !this.calls.reject(frame.id, error)) {
      this.reportError(`The control API rejected a frame: ${error.message}`, error);
    }
  }

  private sendRequest(socket: ControlSocket, id: number, method: string, params: unknown): void {
    try {
      socket.send(JSON.stringify({ id, method, params }));
    } catch (error) {
      const message = `Cannot send ${method}: ${describeCause(error)}`;
      this.calls.reject(id, new ControlError('disconnected', message));
    }
  }

  private detachSocket(): ControlSocket | null {
    const socket = this.socket;
    this.socket = null;
    return socket;
  }

  private clearConnectTimer(): void {
    if (this.connectTimer === null) return;
    this.timers.clearTimeout(this.connectTimer);
    this.connectTimer = null;
  }

  private clearTimers(): void {
    this.clearConnectTimer();
    if (this.reconnectTimer === null) return;
    this.timers.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
  }

  private reportError(message: string, cause?: unknown): void {
    (this.options.reportError ?? console.warn)(message, cause);
  }
}

function closeQuietly(socket: ControlSocket | null, code: number, reason: string): void {
  try {
    socket?.close(code, reason);
  } catch {
    // The WebSocket standard lets close() throw, and the client drops this socket either way.
  }
}

function describeCause(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
