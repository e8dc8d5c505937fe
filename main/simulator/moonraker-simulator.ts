import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { systemClock } from '../support/clock.js';
import { CodedError, errorMessage } from '../support/coded-error.js';
import type { Disposable } from '../support/disposable.js';
import { LogRateLimiter } from '../support/logger.js';
import { ClientRegistry } from './client-registry.js';
import { ListenerSet } from '../support/listener-set.js';
import { HttpEndpoint } from './http-endpoint.js';
import { MoonrakerApi, type ReceivedRequest } from './moonraker-api.js';
import type { PrinterBackend, ReplayFinished, SentFrame } from './printer-backend.js';
import { loadRecording } from './recording.js';
import { ReplayBackend } from './replay/replay-backend.js';
import { ScenarioBackend } from './scenario/scenario-backend.js';
import {
  resolveOptions,
  scenarioSpeed,
  type MoonrakerSimulatorOptions,
  type ResolvedOptions,
} from './simulator-options.js';
import { TimerSet } from './timer-set.js';
import { WebsocketEndpoint } from './websocket-endpoint.js';

export { scenarioNames, type ScenarioName } from './scenario/scenarios.js';
export type { MoonrakerSimulatorOptions, SimulatorMode } from './simulator-options.js';
export type { ReplayFinished, SentFrame } from './printer-backend.js';
export type { ReceivedRequest } from './moonraker-api.js';

type SimulatorState = 'created' | 'starting' | 'running' | 'stopping' | 'stopped';

/** How long `stop` waits for websocket clients to complete the close handshake. */
const CLOSE_GRACE_MS = 1_000;

/**
 * A Moonraker server for tests and the demo mode: HTTP and JSON-RPC over `/websocket`, driven by
 * a recorded session or a scripted printer.
 */
export class MoonrakerSimulator {
  private readonly options: ResolvedOptions;
  private readonly frames: ListenerSet<[SentFrame]>;
  private readonly replays: ListenerSet<[ReplayFinished]>;
  private readonly requests: ListenerSet<[ReceivedRequest]>;
  private readonly clients: ClientRegistry;
  private readonly timers: TimerSet;
  private state: SimulatorState = 'created';
  private server: Server | undefined;
  private websockets: WebSocketServer | undefined;
  private backend: PrinterBackend | undefined;
  private address: string | undefined;
  private stopping: Promise<void> | undefined;

  /** Throws `invalid_option` when an option is out of range. */
  constructor(options: MoonrakerSimulatorOptions) {
    this.options = resolveOptions(options);
    const reportListenerError = (error: unknown): void =>
      this.options.logger.error({ err: error }, 'Simulator event listener failed');
    this.frames = new ListenerSet(reportListenerError);
    this.replays = new ListenerSet(reportListenerError);
    this.requests = new ListenerSet(reportListenerError);
    this.clients = new ClientRegistry(this.options.clock, this.frames, this.replays);
    const timerErrors = new LogRateLimiter(60_000, 5, () => this.options.clock.now());
    this.timers = new TimerSet(this.options.clock, (error) => {
      const dropped = timerErrors.admit('timer');
      if (dropped === null) return;
      this.options.logger.error({ err: error, dropped }, 'Simulator timer callback failed');
    });
  }

  /** The `http://host:port` base URL while running. */
  get url(): string | undefined {
    return this.address;
  }

  get clientCount(): number {
    return this.clients.count;
  }

  /** Reports every notification sent to a websocket client, with its send time. */
  onFrame(listener: (frame: SentFrame) => void): Disposable {
    return this.frames.add(listener);
  }

  /**
   * Reports each HTTP or websocket request as it reaches the API, synchronously, so that the
   * listener can take its receive time.
   */
  onRequest(listener: (request: ReceivedRequest) => void): Disposable {
    return this.requests.add(listener);
  }

  /** Reports the end of each client's replay. */
  onReplayFinished(listener: (event: ReplayFinished) => void): Disposable {
    return this.replays.add(listener);
  }

  /**
   * Loads the recording (in replay mode) and starts listening. Rejects with the recording's error
   * code when it cannot be used, and with `start_failed` when listening fails.
   */
  async start(): Promise<{ url: string }> {
    if (this.state !== 'created') {
      throw new CodedError('invalid_state', `Cannot start a simulator that is ${this.state}`);
    }
    this.state = 'starting';
    try {
      const backend = await this.createBackend();
      this.backend = backend;
      const url = await this.listen(backend);
      if (this.state !== 'starting') {
        throw new CodedError('invalid_state', 'Simulator was stopped while starting');
      }
      backend.start();
      this.state = 'running';
      this.options.logger.info(
        { url, mode: this.options.mode.kind },
        'Moonraker simulator started',
      );
      return { url };
    } catch (error) {
      await this.stop();
      if (error instanceof CodedError) throw error;
      const message = `Failed to start the Moonraker simulator: ${errorMessage(error)}`;
      throw new CodedError('start_failed', message, { cause: error });
    }
  }

  /** Closes every socket and timer; safe to call more than once. */
  stop(): Promise<void> {
    if (this.state === 'stopped') return Promise.resolve();
    this.stopping ??= this.shutDown();
    return this.stopping;
  }

  private async createBackend(): Promise<PrinterBackend> {
    const { mode, clock, logger } = this.options;
    switch (mode.kind) {
      case 'replay': {
        const recording = await loadRecording(mode.file);
        return new ReplayBackend({
          recording,
          speed: mode.speed,
          clock,
          timers: this.timers,
          hub: this.clients,
          logger,
        });
      }
      case 'scenario':
        return new ScenarioBackend({
          name: mode.name,
          speed: scenarioSpeed(mode),
          clock,
          timers: this.timers,
          hub: this.clients,
          updateIntervalMs: this.options.updateIntervalMs,
          random: this.options.random,
          unknownCommand: this.options.unknownCommand,
          logger,
        });
    }
  }

  private async listen(backend: PrinterBackend): Promise<string> {
    const server = this.createServer(backend);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });

    const { port } = server.address() as AddressInfo;
    this.address = `http://${formatHost(this.options.host)}:${port}`;
    return this.address;
  }

  /** Builds the HTTP server, with websocket upgrades on `/websocket`, around the backend. */
  private createServer(backend: PrinterBackend): Server {
    const { apiKey, logger, identity } = this.options;
    const api = new MoonrakerApi({
      backend,
      identity,
      apiKey,
      websocketCount: () => this.clients.count,
      onRequest: (request) => this.requests.emit(request),
    });
    const http = new HttpEndpoint({ api, catalog: backend.catalog, apiKey, logger });
    const websocket = new WebsocketEndpoint({
      api,
      clients: this.clients,
      backend,
      apiKey,
      logger,
    });

    const websockets = new WebSocketServer({ noServer: true, perMessageDeflate: false });
    websockets.on('connection', (socket: WebSocket, request: IncomingMessage) =>
      websocket.handleConnection(socket, request),
    );
    const server = createServer((request, response) => void http.handle(request, response));
    server.on('upgrade', (request, socket, head) => this.upgrade(request, socket as Socket, head));
    this.server = server;
    this.websockets = websockets;
    return server;
  }

  private upgrade(request: IncomingMessage, socket: Socket, head: Buffer): void {
    const path = new URL(request.url ?? '/', 'http://simulator').pathname;
    const websockets = this.websockets;
    if (path !== '/websocket' || !websockets || this.state !== 'running') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    websockets.handleUpgrade(request, socket, head, (client) =>
      websockets.emit('connection', client, request),
    );
  }

  private async shutDown(): Promise<void> {
    this.state = 'stopping';
    this.backend?.dispose();
    this.timers.dispose();
    await this.closeWebsockets();
    await this.closeServer();
    this.frames.clear();
    this.replays.clear();
    this.requests.clear();
    this.state = 'stopped';
    if (this.address)
      this.options.logger.info({ url: this.address }, 'Moonraker simulator stopped');
    this.address = undefined;
  }

  /**
   * Closes websocket connections with a close handshake; clients that have not responded after
   * CLOSE_GRACE_MS of real time are cut off. The wait uses the system clock on purpose, so that
   * a fake clock in a test cannot keep `stop` from finishing.
   */
  private async closeWebsockets(): Promise<void> {
    const websockets = this.websockets;
    if (!websockets) return;
    const sockets = [...websockets.clients];
    const closed = sockets.map(
      (socket) => new Promise<void>((resolve) => socket.once('close', () => resolve())),
    );
    for (const socket of sockets) socket.close(1001, 'Server shutting down');
    const deadline = systemClock.setTimeout(
      () => sockets.forEach((socket) => socket.terminate()),
      CLOSE_GRACE_MS,
    );
    await Promise.all(closed);
    systemClock.clearTimeout(deadline);
    await new Promise<void>((resolve) => websockets.close(() => resolve()));
  }

  private async closeServer(): Promise<void> {
    const server = this.server;
    if (!server?.listening) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
