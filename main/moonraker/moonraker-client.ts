import type { Clock } from '../support/clock.js';
import type { Disposable } from '../support/disposable.js';
import type { HttpRequestFunction } from '../support/http-request.js';
import type { Logger } from '../support/logger.js';
import type { Capabilities } from './capability-probe.js';
import { ConnectionSupervisor } from './connection-supervisor.js';
import type { ConnectionFailure, ConnectionState, StateChange } from './connection-state.js';
import { MoonrakerEndpoint } from './endpoint.js';
import { FollowUpQueries } from './follow-up-queries.js';
import { ACTION_TIMEOUT_MS, MoonrakerHttp, QUERY_TIMEOUT_MS } from './http-transport.js';
import type { MoonrakerInput, ObjectFieldMap, ObjectStatus } from './input.js';
import { ListenerSet } from '../support/listener-set.js';
import { MoonrakerApi } from './moonraker-api.js';
import type { PrintAction, PrinterActions } from './printer-actions.js';
import type { RpcNotification, WebSocketFactory } from './rpc-connection.js';
import type { KeepaliveTiming } from './rpc-keepalive.js';
import type { PrinterInfo, ServerInfo } from './schemas.js';
import { sendWithoutWaiting } from './send-without-waiting.js';

export interface MoonrakerClientOptions {
  /** Moonraker's HTTP base URL, such as `http://printer.local:7125`. */
  url: string;
  /** Sent as `X-Api-Key` on every HTTP request and on the websocket upgrade. */
  apiKey?: string;
  clock: Clock;
  logger: Logger;
  /** Uniform [0, 1) source for the reconnect jitter. */
  random?: () => number;
  /** Sends the HTTP requests, with `sendHttpRequest` over `node:http` by default. */
  request?: HttpRequestFunction;
  webSocketFactory?: WebSocketFactory;
  /** Extra subscription entries (`object` or `object.field`) and entries to leave out. */
  include?: readonly string[];
  exclude?: readonly string[];
  keepalive?: KeepaliveTiming;
}

/**
 * One printer's Moonraker: a websocket that stays connected, probed and subscribed, and the HTTP
 * API for queries and actions. Everything received is handed to `onInput` listeners strictly in
 * arrival order, including the snapshots of the queries the client starts by itself.
 */
export class MoonrakerClient implements PrinterActions, Disposable {
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly abort = new AbortController();
  private readonly api: MoonrakerApi;
  private readonly supervisor: ConnectionSupervisor;
  private readonly followUps: FollowUpQueries;
  private readonly inputs: ListenerSet<[MoonrakerInput]>;
  private disposed = false;

  constructor(options: MoonrakerClientOptions) {
    const endpoint = MoonrakerEndpoint.parse(options.url);
    this.clock = options.clock;
    this.logger = options.logger.child({ component: 'moonraker', moonraker: endpoint.baseUrl });
    this.inputs = new ListenerSet((error) =>
      this.logger.error({ err: error }, 'A Moonraker input listener threw'),
    );
    this.api = new MoonrakerApi(
      new MoonrakerHttp({
        endpoint,
        apiKey: options.apiKey,
        clock: options.clock,
        ...(options.request ? { request: options.request } : {}),
        signal: this.abort.signal,
      }),
    );
    this.supervisor = this.createSupervisor(options, endpoint);
    this.followUps = new FollowUpQueries({
      clock: options.clock,
      logger: this.logger,
      query: (objects) => this.api.queryObjects(objects),
      resubscribe: () => this.supervisor.refresh(),
      emitSnapshot: (status) => this.emitSnapshot('query', status),
    });
  }

  get state(): ConnectionState {
    return this.supervisor.machine.state;
  }

  get lastFailure(): ConnectionFailure | null {
    return this.supervisor.machine.lastFailure;
  }

  /** Result of the last successful probe, or null before the first one. */
  get capabilities(): Capabilities | null {
    return this.supervisor.capabilities;
  }

  onInput(listener: (input: MoonrakerInput) => void): Disposable {
    return this.inputs.add(listener);
  }

  onStateChange(listener: (change: StateChange) => void): Disposable {
    return this.supervisor.machine.onChange(listener);
  }

  /** Starts the connect loop. Calling it again, or after `dispose`, does nothing. */
  start(): void {
    if (this.disposed) return;
    this.supervisor.start();
  }

  /** Closes the websocket, cancels requests in flight and clears every timer. Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.followUps.dispose();
    this.supervisor.dispose();
    this.abort.abort();
    this.inputs.clear();
  }

  async printAction(action: PrintAction): Promise<void> {
    await this.api.printAction(action);
    this.followUps.afterPrintAction();
  }

  emergencyStop(): Promise<void> {
    return this.api.emergencyStop();
  }

  firmwareRestart(): Promise<void> {
    return this.api.firmwareRestart();
  }

  startPrint(filename: string): Promise<void> {
    return this.api.startPrint(filename);
  }

  runGcode(script: string, options: { timeoutMs?: number } = {}): Promise<void> {
    return this.api.runGcode(script, options.timeoutMs ?? ACTION_TIMEOUT_MS);
  }

  sendGcodeNoWait(script: string): Promise<void> {
    const request = (): Promise<void> => this.api.runGcode(script, ACTION_TIMEOUT_MS);
    return sendWithoutWaiting(request, this.clock, this.logger, 'POST /printer/gcode/script');
  }

  queryObjects(objects: ObjectFieldMap): Promise<ObjectStatus> {
    return this.api.queryObjects(objects, QUERY_TIMEOUT_MS);
  }

  listObjects(): Promise<string[]> {
    return this.api.listObjects();
  }

  serverInfo(): Promise<ServerInfo> {
    return this.api.serverInfo();
  }

  printerInfo(): Promise<PrinterInfo> {
    return this.api.printerInfo();
  }

  /** Slicer metadata for a G-code file, or null when Moonraker has none (404). */
  fileMetadata(filename: string): Promise<Record<string, unknown> | null> {
    return this.api.fileMetadata(filename);
  }

  /** Fetches a file below the `gcodes` root, such as `.thumbs/part.png`, or null if missing. */
  fetchFile(path: string, options?: { timeoutMs?: number }): Promise<Uint8Array | null> {
    return this.api.fetchFile(path, options);
  }

  private createSupervisor(
    options: MoonrakerClientOptions,
    endpoint: MoonrakerEndpoint,
  ): ConnectionSupervisor {
    return new ConnectionSupervisor({
      websocketUrl: endpoint.websocketUrl(),
      apiKey: options.apiKey,
      clock: options.clock,
      logger: this.logger,
      random: options.random,
      factory: options.webSocketFactory,
      include: options.include,
      exclude: options.exclude,
      keepalive: options.keepalive,
      timeoutMs: QUERY_TIMEOUT_MS,
      sink: {
        availability: (available, detail) => this.emitAvailability(available, detail),
        snapshot: (status) => this.emitSnapshot('subscribe', status),
        notification: (notification) => this.handleNotification(notification),
      },
    });
  }

  private handleNotification(notification: RpcNotification): void {
    if (this.disposed) return;
    const { method, params } = notification;
    this.inputs.emit({ kind: 'notification', method, params, receivedAt: this.clock.now() });
    this.followUps.handleNotification(notification);
  }

  private emitSnapshot(source: 'subscribe' | 'query', status: ObjectStatus): void {
    if (this.disposed) return;
    this.inputs.emit({ kind: 'snapshot', source, status, receivedAt: this.clock.now() });
  }

  private emitAvailability(available: boolean, detail: string): void {
    if (this.disposed) return;
    this.inputs.emit({ kind: 'availability', available, detail, receivedAt: this.clock.now() });
  }
}
