import WebSocket, { type ClientOptions, type RawData } from 'ws';

import type { Clock, TimerHandle } from '../support/clock.js';
import type { Disposable } from '../support/disposable.js';
import type { Logger } from '../support/logger.js';
import type { MoonrakerError } from './errors.js';
import { SkippedFrameLog } from './frame-log.js';
import { ListenerSet } from '../support/listener-set.js';
import { PendingCalls } from './pending-calls.js';
import {
  callClosedError,
  connectionLossError,
  handshakeError,
  rpcCallError,
  type ConnectionEndCause,
} from './rpc-errors.js';
import { RpcKeepalive, type KeepaliveTiming } from './rpc-keepalive.js';
import { parseFrame } from './rpc-frame.js';

export type WebSocketFactory = (url: string, options: ClientOptions) => WebSocket;

export const defaultWebSocketFactory: WebSocketFactory = (url, options) =>
  new WebSocket(url, options);

export interface RpcConnectionOptions {
  url: string;
  apiKey?: string;
  clock: Clock;
  logger: Logger;
  factory?: WebSocketFactory;
  openTimeoutMs: number;
  /** Silence after which a ping is sent, and how long the pong may take. */
  keepalive?: KeepaliveTiming;
  /** Cancels opening: the promise from `open` rejects with `closed`. */
  signal?: AbortSignal;
}

export interface CallOptions {
  timeoutMs: number;
  /** Runs synchronously when the result frame is handled, before any later frame. */
  onResult?: (result: unknown) => void;
}

export interface RpcNotification {
  method: string;
  params: unknown;
}

/** Reason an open connection ended. */
export interface ConnectionClosed {
  code: number;
  reason: string;
  error: MoonrakerError;
}

const GRACEFUL_CLOSE_MS = 2_000;
const DEFAULT_KEEPALIVE = { idleMs: 30_000, pongTimeoutMs: 10_000 };

/**
 * One JSON-RPC 2.0 websocket to Moonraker. Frames are handled strictly in arrival order:
 * notifications go to listeners, results settle their call, malformed frames are logged and
 * skipped, binary frames are ignored.
 */
export class JsonRpcConnection implements Disposable {
  private readonly socket: WebSocket;
  private readonly pending: PendingCalls;
  private readonly notifications: ListenerSet<[RpcNotification]>;
  private readonly closeListeners: ListenerSet<[ConnectionClosed]>;
  private readonly skipped: SkippedFrameLog;
  private readonly keepalive: RpcKeepalive;
  private readonly opened: Promise<JsonRpcConnection>;
  private phase: 'opening' | 'open' | 'closed' = 'opening';
  private openTimer: TimerHandle | null = null;
  private closeTimer: TimerHandle | null = null;
  private handshakeStatus: number | null = null;
  private socketError: Error | null = null;
  private endedBy: ConnectionEndCause | null = null;

  /** Opens the websocket, rejecting with a MoonrakerError if the upgrade fails or times out. */
  static open(options: RpcConnectionOptions): Promise<JsonRpcConnection> {
    return new JsonRpcConnection(options).opened;
  }

  private constructor(private readonly options: RpcConnectionOptions) {
    const logger = options.logger;
    this.pending = new PendingCalls(options.clock);
    this.notifications = new ListenerSet((error) => logListenerError(logger, error));
    this.closeListeners = new ListenerSet((error) => logListenerError(logger, error));
    this.skipped = new SkippedFrameLog(logger, options.clock, options.apiKey);
    this.keepalive = new RpcKeepalive(options.clock, options.keepalive ?? DEFAULT_KEEPALIVE, {
      ping: () => this.socket.ping(),
      expire: () => this.end('keepalive'),
    });
    const headers: Record<string, string> = options.apiKey ? { 'X-Api-Key': options.apiKey } : {};
    const factory = options.factory ?? defaultWebSocketFactory;
    this.socket = factory(options.url, { headers, followRedirects: false });
    this.opened = new Promise((resolve, reject) => this.watchSocket(resolve, reject));
  }

  /** Sends a request. Rejects with `timeout`, `closed` or the error Moonraker returned. */
  call(method: string, params: unknown, options: CallOptions): Promise<unknown> {
    if (this.phase !== 'open') return Promise.reject(callClosedError(method, 'not open'));
    const { id, settled } = this.pending.add(method, options.timeoutMs, options.onResult);
    const frame = JSON.stringify({ jsonrpc: '2.0', method, params, id });
    this.socket.send(frame, (error) => {
      if (error) this.pending.reject(id, () => callClosedError(method, error.message));
    });
    return settled;
  }

  onNotification(listener: (notification: RpcNotification) => void): Disposable {
    return this.notifications.add(listener);
  }

  onClose(listener: (closed: ConnectionClosed) => void): Disposable {
    return this.closeListeners.add(listener);
  }

  /** Starts the closing handshake and forces the socket shut if it takes more than 2 s. */
  close(): void {
    if (this.phase !== 'open') return this.terminate();
    this.endedBy ??= 'owner';
    this.socket.close(1000, 'client closing');
    this.closeTimer = this.options.clock.setTimeout(
      () => this.socket.terminate(),
      GRACEFUL_CLOSE_MS,
    );
  }

  /** Destroys the socket at once. Pending calls reject with `closed`. */
  terminate(): void {
    this.end('owner');
  }

  dispose(): void {
    this.terminate();
  }

  /** Destroys the socket and clears every timer at once. The close event follows. */
  private end(by: ConnectionEndCause): void {
    if (this.phase === 'closed') return;
    this.endedBy ??= by;
    this.clearTimers();
    this.socket.terminate();
  }

  private readonly onAbort = (): void => this.end('owner');

  private watchSocket(
    resolve: (connection: JsonRpcConnection) => void,
    reject: (error: MoonrakerError) => void,
  ): void {
    const socket = this.socket;
    this.openTimer = this.options.clock.setTimeout(
      () => this.end('open_timeout'),
      this.options.openTimeoutMs,
    );
    socket.on('unexpected-response', (_request, response) => {
      this.handshakeStatus = response.statusCode ?? null;
      response.resume();
      socket.terminate();
    });
    socket.on('open', () => this.handleOpen(resolve));
    socket.on('message', (data, isBinary) => this.handleMessage(data, isBinary));
    socket.on('pong', () => this.keepalive.touch());
    socket.on('error', (error) => {
      this.socketError ??= error;
    });
    socket.on('close', (code, reason) => this.handleClose(code, reason.toString(), reject));
    if (this.options.signal?.aborted) this.end('owner');
    else this.options.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  private handleOpen(resolve: (connection: JsonRpcConnection) => void): void {
    this.clearOpenTimer();
    if (this.endedBy !== null) return;
    this.phase = 'open';
    this.keepalive.start();
    resolve(this);
  }

  private handleMessage(data: RawData, isBinary: boolean): void {
    if (this.phase !== 'open') return;
    this.keepalive.touch();
    if (isBinary) return;
    const text = rawText(data);
    const frame = parseFrame(text);
    switch (frame.kind) {
      case 'notification':
        this.notifications.emit({ method: frame.method, params: frame.params });
        return;
      case 'result':
        this.handleResult(frame.id, frame.result, text);
        return;
      case 'error':
        this.handleError(frame.id, frame.code, frame.message, text);
        return;
      case 'invalid':
        this.skipped.report(frame.reason, text);
        return;
    }
  }

  private handleResult(id: number | string, result: unknown, text: string): void {
    if (this.pending.resolve(id, result)) return;
    this.skipped.report('response to an unknown or expired request id', text);
  }

  private handleError(id: number | string | null, code: number, message: string, text: string) {
    const apiKeyConfigured = Boolean(this.options.apiKey);
    const toError = (method: string) => rpcCallError(method, code, message, apiKeyConfigured);
    if (id !== null && this.pending.reject(id, toError)) return;
    this.skipped.report('error response to an unknown request id', text);
  }

  private handleClose(code: number, reason: string, reject: (error: MoonrakerError) => void) {
    const wasOpen = this.phase === 'open';
    this.phase = 'closed';
    this.clearTimers();
    this.options.signal?.removeEventListener('abort', this.onAbort);
    if (!wasOpen) {
      reject(handshakeError(this.handshakeOutcome()));
      return;
    }
    const error = connectionLossError({
      url: this.options.url,
      endedBy: this.endedBy,
      socketError: this.socketError,
      code,
      reason,
    });
    this.pending.rejectAll((method) => callClosedError(method, error.message));
    this.closeListeners.emit({ code, reason, error });
    this.notifications.clear();
    this.closeListeners.clear();
  }

  private handshakeOutcome() {
    return {
      url: this.options.url,
      timeoutMs: this.options.openTimeoutMs,
      timedOut: this.endedBy === 'open_timeout',
      cancelled: this.endedBy === 'owner',
      status: this.handshakeStatus,
      socketError: this.socketError,
      apiKeyConfigured: Boolean(this.options.apiKey),
    };
  }

  private clearOpenTimer(): void {
    if (this.openTimer) this.options.clock.clearTimeout(this.openTimer);
    this.openTimer = null;
  }

  private clearTimers(): void {
    this.clearOpenTimer();
    this.keepalive.stop();
    if (this.closeTimer) this.options.clock.clearTimeout(this.closeTimer);
    this.closeTimer = null;
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

function logListenerError(logger: Logger, error: unknown): void {
  logger.error({ err: error }, 'A Moonraker connection listener threw');
}
