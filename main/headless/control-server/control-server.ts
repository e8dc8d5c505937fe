import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

import { controlPageUrl, controlSocketUrl } from '../../../shared/control-api/control-session.js';
import {
  controlEvents,
  type ControlEventData,
  type ControlEventName,
} from '../../../shared/control-api/events.js';
import { describeIssues } from '../../../shared/control-api/issue-message.js';
import type { ControlApi } from '../../../shared/control-api/methods.js';
import {
  CONTROL_SOCKET_PATH,
  MAX_CONTROL_FRAME_BYTES,
} from '../../../shared/control-api/protocol.js';
import { systemClock, type Clock } from '../../support/clock.js';
import { CodedError } from '../../support/coded-error.js';
import type { Disposable } from '../../support/disposable.js';
import type { Logger } from '../../support/logger.js';
import { ConnectionRegistry } from './connection-registry.js';
import { ControlConnection, type ConnectionLimits } from './control-connection.js';
import { ControlDispatcher } from './control-dispatcher.js';
import { loadControlToken } from './control-token.js';
import { sendText } from './http-replies.js';
import { nextServerState, type ServerState } from './server-state.js';
import { parseRequestTarget } from './request-target.js';
import { StaticFiles } from './static-files.js';
import { checkToken, presentsToken, rejectUpgrade, UpgradeGate } from './upgrade-checks.js';

export const CONTROL_SERVER_HOST = '127.0.0.1';

export interface ControlServerOptions {
  api: ControlApi;
  /** Folder of the `control-token` file. */
  dataDir: string;
  logger: Logger;
  /** Only 127.0.0.1 is accepted, because the static pages and the token are meant for this machine. */
  host?: string;
  /** 0, the default, picks a free port. */
  port?: number;
  /** Folder of the web build to serve. Without it, only the socket is served. */
  staticRoot?: string;
  /** Default 8. */
  maxClients?: number;
  /** Whether results are checked against their schemas. Default: on unless NODE_ENV is `production`. */
  validateResults?: boolean;
  clock?: Clock;
  /**
   * Extra GET routes by exact path, served without the token before the static files. Used for
   * the click-to-link callback, which Owl Web's page redirects the browser to.
   */
  routes?: Readonly<Record<string, (request: IncomingMessage, response: ServerResponse) => void>>;
}

/** Address of a started control server, and the page to open in a browser. */
export interface ControlServerEndpoint {
  port: number;
  origin: string;
  socketUrl: string;
  /** The page address with the token in its query, for printing. Never log it. */
  pageUrl: string;
  token: string;
}

/**
 * Frames larger than the request limit but below this one get an error response and keep the
 * connection. `ws` closes the connection with 1009 on anything larger.
 */
const HARD_FRAME_LIMIT_BYTES = 4 * MAX_CONTROL_FRAME_BYTES;
const CLOSE_DEADLINE_MS = 2_000;
const CONNECTION_LIMITS: ConnectionLimits = {
  maxInvalidFrames: 10,
  maxPendingRequests: 32,
  maxBufferedBytes: 8 * 1024 * 1024,
};

/**
 * Serves the control API on loopback: a WebSocket at `/control` that requires the control token,
 * and optionally the web build as static files, which need no token because they hold no data.
 */
export class ControlServer implements Disposable {
  private state: ServerState = 'idle';
  private starting: Promise<unknown> | null = null;
  private server: Server | null = null;
  private endpoint: ControlServerEndpoint | null = null;
  private readonly sockets = new WebSocketServer({
    noServer: true,
    maxPayload: HARD_FRAME_LIMIT_BYTES,
    perMessageDeflate: false,
    clientTracking: false,
  });
  private readonly connections: ConnectionRegistry;
  private readonly dispatcher: ControlDispatcher;
  private readonly staticFiles: StaticFiles | null;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly gate: UpgradeGate;

  constructor(private readonly options: ControlServerOptions) {
    const host = options.host ?? CONTROL_SERVER_HOST;
    if (host !== CONTROL_SERVER_HOST) {
      const message = `Invalid host ${host}: the control server listens on ${CONTROL_SERVER_HOST} only`;
      throw new CodedError('invalid_host', message);
    }
    this.logger = options.logger.child({ component: 'control-server' });
    this.connections = new ConnectionRegistry(this.logger);
    this.clock = options.clock ?? systemClock;
    this.gate = new UpgradeGate(this.logger, this.clock);
    this.dispatcher = new ControlDispatcher({
      api: options.api,
      logger: this.logger,
      clock: this.clock,
      validateResults: options.validateResults ?? process.env.NODE_ENV !== 'production',
    });
    const root = options.staticRoot;
    this.staticFiles = root === undefined ? null : new StaticFiles(root, this.logger);
  }

  get clientCount(): number {
    return this.connections.size;
  }

  /** Calls `listener` with the number of clients after each connect and disconnect. */
  onClientCountChange(listener: (count: number) => void): Disposable {
    return this.connections.onCountChange(listener);
  }

  /** Loads or creates the token, listens, and resolves with the endpoint. */
  async start(): Promise<ControlServerEndpoint> {
    if (this.state !== 'idle') {
      throw new CodedError(
        'already_started',
        `Cannot start the control server: it is ${this.state}`,
      );
    }
    this.transition('starting');
    const started = this.listen();
    this.starting = started;
    try {
      return await started;
    } catch (error) {
      this.server?.close();
      this.server = null;
      this.transition('closed');
      throw error;
    } finally {
      this.starting = null;
    }
  }

  /** Sends an event to every connected client. Data that does not match its schema is logged and dropped. */
  publish<E extends ControlEventName>(event: E, data: ControlEventData<E>): void {
    const checked = controlEvents[event].safeParse(data);
    if (!checked.success) {
      const problems = describeIssues(checked.error.issues, 'data');
      this.logger.error(
        { event, problems },
        'dropped a control event that does not match its schema',
      );
      return;
    }
    if (this.connections.size === 0) return;
    this.connections.broadcast(JSON.stringify({ event, data: checked.data }));
  }

  /** Closes every client with 1001, waits up to two seconds for them, then stops listening. */
  async close(): Promise<void> {
    if (this.starting) await this.starting.catch(() => undefined);
    if (this.state === 'closing' || this.state === 'closed') return;
    const server = this.server;
    this.transition('closing');
    await this.connections.closeAll(this.clock, CLOSE_DEADLINE_MS);

    this.sockets.close();
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    this.server = null;
    this.transition('closed');
    this.logger.info('control server closed');
  }

  dispose(): void {
    void this.close();
  }

  private async listen(): Promise<ControlServerEndpoint> {
    const token = await loadControlToken(this.options.dataDir, this.logger);
    const server = createServer((request, response) => this.handleRequest(request, response));
    server.on('upgrade', (request, socket, head) => this.handleUpgrade(request, socket, head));
    server.on('clientError', (_error, socket) => socket.destroy());
    this.server = server;
    await listenOn(server, this.options.port ?? 0);

    const { port } = server.address() as AddressInfo;
    const origin = `http://${CONTROL_SERVER_HOST}:${port}`;
    const socketUrl = controlSocketUrl(origin);
    const pageUrl = controlPageUrl(origin, token);
    this.endpoint = { port, origin, socketUrl, pageUrl, token };
    server.on('error', (error) => this.logger.error({ err: error }, 'control server error'));
    this.transition('listening');
    this.logger.info({ socketUrl, ui: this.staticFiles !== null }, 'control server listening');
    return this.endpoint;
  }

  private transition(next: ServerState): void {
    this.state = nextServerState(this.state, next);
  }

  private handleRequest(request: IncomingMessage, response: ServerResponse): void {
    const target = parseRequestTarget(request.url);
    const path = target?.pathname;
    if (target && path === CONTROL_SOCKET_PATH) {
      this.answerPlainControlRequest(request, response, target);
      return;
    }
    const route = path === undefined ? undefined : this.options.routes?.[path];
    if (route && request.method === 'GET') {
      route(request, response);
      return;
    }
    if (!this.staticFiles) {
      sendText(response, 404, 'Not found: this control server serves no user interface');
      return;
    }
    this.staticFiles.serve(request, response).catch((error: unknown) => {
      this.logger.error({ err: error, path }, 'serving a static file failed');
      if (response.headersSent) response.destroy();
      else sendText(response, 500, 'Internal server error');
    });
  }

  /**
   * Responds to a plain HTTP request to the socket path. A browser cannot read the status of a
   * rejected WebSocket upgrade, so the UI sends its token here to learn whether the service
   * rejects it: 401 for a wrong token, else 426 as for any request without an upgrade.
   */
  private answerPlainControlRequest(
    request: IncomingMessage,
    response: ServerResponse,
    target: URL,
  ): void {
    const endpoint = this.endpoint;
    if (endpoint && presentsToken(request, target)) {
      const rejection = checkToken(request, target, endpoint.token);
      if (rejection) {
        sendText(response, rejection.status, rejection.message);
        return;
      }
    }
    sendText(response, 426, 'Connect with a WebSocket', { upgrade: 'websocket' });
  }

  private handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', (error) => this.logger.debug({ err: error }, 'upgrade socket error'));
    const endpoint = this.endpoint;
    if (this.state !== 'listening' || !endpoint) {
      rejectUpgrade(socket, { status: 503, message: 'The control server is stopping' });
      return;
    }
    const admitted = this.gate.admit(request, socket, {
      socketPath: CONTROL_SOCKET_PATH,
      token: endpoint.token,
      port: endpoint.port,
      clientCount: this.connections.size,
      maxClients: this.options.maxClients ?? 8,
    });
    if (!admitted) return;
    this.sockets.handleUpgrade(request, socket, head, (webSocket) => this.accept(webSocket));
  }

  private accept(webSocket: WebSocket): void {
    const connection = new ControlConnection(
      webSocket,
      this.dispatcher,
      CONNECTION_LIMITS,
      this.logger,
    );
    this.connections.add(connection);
  }
}

function listenOn(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      const message = `The control server cannot listen on ${CONTROL_SERVER_HOST}:${port}: ${error.message}`;
      reject(new CodedError('listen_failed', message, { cause: error }));
    };
    server.once('error', onError);
    server.listen(port, CONTROL_SERVER_HOST, () => {
      server.off('error', onError);
      resolve();
    });
  });
}
