import { FullJitterBackoff } from '../support/backoff.js';
import type { Clock, TimerHandle } from '../support/clock.js';
import type { Disposable } from '../support/disposable.js';
import type { Logger } from '../support/logger.js';
import { probeCapabilities, type Capabilities } from './capability-probe.js';
import { ConnectionStateMachine } from './connection-state.js';
import { asMoonrakerError, type MoonrakerError } from './errors.js';
import type { ObjectFieldMap, ObjectStatus } from './input.js';
import { OutageLog } from './outage-log.js';
import {
  JsonRpcConnection,
  type ConnectionClosed,
  type RpcConnectionOptions,
  type RpcNotification,
  type WebSocketFactory,
} from './rpc-connection.js';
import type { KeepaliveTiming } from './rpc-keepalive.js';
import { parseStatus } from './schemas.js';

/** Receiver of everything the supervisor gets, called synchronously and in arrival order. */
export interface SupervisorSink {
  availability(available: boolean, detail: string): void;
  snapshot(status: ObjectStatus): void;
  notification(notification: RpcNotification): void;
}

export interface SupervisorOptions {
  websocketUrl: string;
  apiKey?: string;
  clock: Clock;
  logger: Logger;
  random?: () => number;
  factory?: WebSocketFactory;
  include?: readonly string[];
  exclude?: readonly string[];
  keepalive?: KeepaliveTiming;
  /** Deadline for the websocket upgrade and for every probe and subscribe call. */
  timeoutMs: number;
  sink: SupervisorSink;
}

/**
 * The connect loop: open the websocket, probe, subscribe, and after any failure wait a full
 * jitter backoff and start over. The bound starts at 1 s, doubles up to 30 s, and is reset once
 * a probe and its subscribe succeed. Every connect subscribes again, and its result becomes a
 * snapshot.
 */
export class ConnectionSupervisor implements Disposable {
  readonly machine: ConnectionStateMachine;
  private readonly backoff: FullJitterBackoff;
  private readonly outageLog: OutageLog;
  private connection: JsonRpcConnection | null = null;
  private retryTimer: TimerHandle | null = null;
  private opening: AbortController | null = null;
  private generation = 0;
  private available: boolean | null = null;
  private latest: Capabilities | null = null;
  private refreshing: Promise<void> | null = null;
  private refreshRequested = false;
  /** Set when Klippy became ready during a probe, whose result may then be stale. */
  private refreshAfterProbe = false;

  constructor(private readonly options: SupervisorOptions) {
    const onListenerError = (error: unknown): void =>
      options.logger.error({ err: error }, 'A connection state listener threw');
    this.machine = new ConnectionStateMachine(options.clock, onListenerError);
    this.backoff = new FullJitterBackoff({
      initialMs: 1_000,
      maxMs: 30_000,
      random: options.random,
    });
    this.outageLog = new OutageLog(() => options.clock.monotonic());
  }

  get capabilities(): Capabilities | null {
    return this.latest;
  }

  start(): void {
    if (this.machine.state !== 'idle') return;
    this.options.logger.info('Connecting to Moonraker');
    void this.attempt();
  }

  /**
   * Probes again on the open connection and resubscribes, as needed after Klippy restarts.
   * Calls made while one runs are merged into one more run after it.
   */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.refreshRequested = true;
      return this.refreshing;
    }
    this.refreshing = this.runRefresh().finally(() => {
      this.refreshing = null;
      if (!this.refreshRequested) return;
      this.refreshRequested = false;
      void this.refresh();
    });
    return this.refreshing;
  }

  dispose(): void {
    if (this.machine.state === 'disposed') return;
    this.generation += 1;
    if (this.retryTimer) this.options.clock.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.opening?.abort();
    this.dropConnection();
    this.machine.transition('disposed');
    this.options.logger.info('Moonraker client stopped');
  }

  private async attempt(): Promise<void> {
    const generation = ++this.generation;
    this.machine.transition('connecting');
    this.opening = new AbortController();
    try {
      const connection = await JsonRpcConnection.open(this.connectionOptions(this.opening.signal));
      this.opening = null;
      if (generation !== this.generation) return connection.terminate();
      this.adopt(connection);
      this.machine.transition('probing');
      await this.probeAndSubscribe(connection, generation);
    } catch (error) {
      if (generation !== this.generation) return;
      this.fail(asMoonrakerError(error, 'unreachable'));
    }
  }

  private connectionOptions(signal: AbortSignal): RpcConnectionOptions {
    const { websocketUrl, apiKey, clock, logger, factory, keepalive, timeoutMs } = this.options;
    const url = websocketUrl;
    return { url, apiKey, clock, logger, factory, keepalive, openTimeoutMs: timeoutMs, signal };
  }

  private adopt(connection: JsonRpcConnection): void {
    this.connection = connection;
    connection.onNotification((notification) => this.options.sink.notification(notification));
    connection.onClose((closed) => this.handleClose(connection, closed));
  }

  private async probeAndSubscribe(connection: JsonRpcConnection, generation: number) {
    const capabilities = await this.probe(connection);
    if (generation !== this.generation) return;
    this.latest = capabilities;
    if (capabilities.klippyAvailable) {
      await this.subscribe(connection, capabilities.manifest, generation);
    } else {
      const state = capabilities.serverInfo.klippy_state;
      this.becomeReady(`Moonraker is connected, but Klippy is ${state}`);
    }
    if (generation !== this.generation || !this.refreshAfterProbe) return;
    this.refreshAfterProbe = false;
    void this.refresh();
  }

  private probe(connection: JsonRpcConnection): Promise<Capabilities> {
    const { timeoutMs, include, exclude, logger } = this.options;
    const call = (method: string, params: unknown, callTimeoutMs: number) =>
      connection.call(method, params, { timeoutMs: callTimeoutMs });
    return probeCapabilities(call, { timeoutMs, include, exclude, logger });
  }

  /** Subscribes and hands the result on while its frame is handled, so no later frame overtakes it. */
  private async subscribe(
    connection: JsonRpcConnection,
    manifest: ObjectFieldMap,
    generation: number,
  ): Promise<void> {
    await connection.call(
      'printer.objects.subscribe',
      { objects: manifest },
      {
        timeoutMs: this.options.timeoutMs,
        onResult: (result) => {
          if (generation !== this.generation) return;
          const status = parseStatus(result, 'printer.objects.subscribe');
          if (this.machine.state === 'probing') this.becomeReady('Moonraker is connected');
          this.options.sink.snapshot(status);
        },
      },
    );
  }

  private becomeReady(detail: string): void {
    this.machine.transition('ready');
    this.backoff.reset();
    const info = this.latest?.serverInfo;
    const fields = { moonrakerVersion: info?.moonraker_version, klippyState: info?.klippy_state };
    const recovery = this.outageLog.recordRecovery();
    if (recovery) {
      this.options.logger.info(
        { ...fields, ...recovery },
        'Moonraker connection ready after failed attempts',
      );
    } else {
      this.options.logger.info(fields, 'Moonraker connection ready');
    }
    if (this.available === true) return;
    this.available = true;
    this.options.sink.availability(true, detail);
  }

  private async runRefresh(): Promise<void> {
    const connection = this.connection;
    const generation = this.generation;
    if (this.machine.state === 'probing') this.refreshAfterProbe = true;
    if (!connection || this.machine.state !== 'ready') return;
    try {
      const capabilities = await this.probe(connection);
      if (generation !== this.generation) return;
      this.latest = capabilities;
      if (capabilities.klippyAvailable) {
        await this.subscribe(connection, capabilities.manifest, generation);
      }
    } catch (error) {
      if (generation !== this.generation) return;
      this.options.logger.warn({ err: error }, 'Resubscribing after Klippy became ready failed');
    }
  }

  private handleClose(connection: JsonRpcConnection, closed: ConnectionClosed): void {
    // While connecting or probing, the failed call reports the loss through `attempt`.
    if (connection !== this.connection || this.machine.state !== 'ready') return;
    this.fail(closed.error);
  }

  private fail(error: MoonrakerError): void {
    this.generation += 1;
    this.refreshAfterProbe = false;
    this.dropConnection();
    this.machine.recordFailure(error.code, error.message);
    const delayMs = this.backoff.next();
    this.logFailure(error, delayMs);
    if (this.available !== false) {
      this.available = false;
      this.options.sink.availability(false, error.message);
    }
    this.machine.transition('backoff', delayMs);
    this.retryTimer = this.options.clock.setTimeout(() => {
      this.retryTimer = null;
      void this.attempt();
    }, delayMs);
  }

  private dropConnection(): void {
    const connection = this.connection;
    this.connection = null;
    connection?.terminate();
  }

  /** Logs the first failure of an outage and then fewer and fewer repeats (see `OutageLog`). */
  private logFailure(error: MoonrakerError, delayMs: number): void {
    const line = this.outageLog.recordFailure(error.code);
    if (line === null) return;
    this.options.logger.warn(
      { code: error.code, retryInMs: delayMs, attempt: this.backoff.attempts, ...line },
      `Moonraker connection failed: ${error.message}`,
    );
  }
}
