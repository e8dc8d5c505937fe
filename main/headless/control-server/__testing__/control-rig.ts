import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';

import {
  ControlClient,
  type ControlClientOptions,
} from '../../../../shared/control-api/control-client.js';
import type { ControlClientState } from '../../../../shared/control-api/client-state.js';
import { CONTROL_TOKEN_QUERY } from '../../../../shared/control-api/protocol.js';
import { silentLogger } from '../../../support/logger.js';
import {
  ControlServer,
  type ControlServerEndpoint,
  type ControlServerOptions,
} from '../control-server.js';
import { stubControlApi } from './stub-control-api.js';

export interface RawConnectOptions {
  /** Token sent as `?token=`. Leave it out and set `header` to use `Authorization`. */
  token?: string;
  header?: string;
  origin?: string;
  path?: string;
}

/** A raw `ws` client that queues incoming frames so tests can await them in order. */
export class RawSocket {
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly frames: unknown[] = [];
  private readonly waiters: ((frame: unknown) => void)[] = [];

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => this.push(JSON.parse(data.toString()) as unknown));
    this.closed = new Promise((resolve) => {
      socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    });
  }

  send(value: unknown): void {
    this.socket.send(typeof value === 'string' ? value : JSON.stringify(value));
  }

  next(): Promise<unknown> {
    const frame = this.frames.shift();
    if (frame !== undefined) return Promise.resolve(frame);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Sends a request and returns the next frame, which is its response when no event intervenes. */
  async request(id: number, method: string, params?: unknown): Promise<unknown> {
    this.send({ id, method, params });
    return this.next();
  }

  private push(frame: unknown): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(frame);
    else this.frames.push(frame);
  }
}

/** Starts control servers and clients for a test and releases all of them afterwards. */
export class ControlRig {
  private readonly servers: ControlServer[] = [];
  private readonly sockets: WebSocket[] = [];
  private readonly clients: ControlClient[] = [];
  private readonly folders: string[] = [];

  async folder(): Promise<string> {
    const folder = await mkdtemp(join(tmpdir(), 'control-server-'));
    this.folders.push(folder);
    return folder;
  }

  async start(
    options: Partial<ControlServerOptions> = {},
  ): Promise<{ server: ControlServer; endpoint: ControlServerEndpoint }> {
    const server = new ControlServer({
      api: stubControlApi(),
      dataDir: options.dataDir ?? (await this.folder()),
      logger: silentLogger,
      ...options,
    });
    this.servers.push(server);
    return { server, endpoint: await server.start() };
  }

  /** Opens a raw socket and resolves once it is open, or rejects with the HTTP status. */
  connectRaw(endpoint: ControlServerEndpoint, options: RawConnectOptions = {}): Promise<RawSocket> {
    const socket = this.openSocket(endpoint, options);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(new RawSocket(socket)));
      socket.once('unexpected-response', (_request, response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => reject(new UpgradeFailure(response.statusCode ?? 0, body)));
      });
      socket.once('error', reject);
    });
  }

  /** Attempts an upgrade that the server is expected to reject, and returns its status and body. */
  async rejection(
    endpoint: ControlServerEndpoint,
    options: RawConnectOptions = {},
  ): Promise<UpgradeFailure> {
    try {
      await this.connectRaw(endpoint, options);
    } catch (error) {
      if (error instanceof UpgradeFailure) return error;
      throw error;
    }
    throw new Error('the upgrade was accepted');
  }

  client(
    endpoint: ControlServerEndpoint,
    options: Partial<ControlClientOptions> = {},
  ): ControlClient {
    const client = new ControlClient({
      url: endpoint.socketUrl,
      token: endpoint.token,
      WebSocket,
      reportError: () => undefined,
      ...options,
    });
    this.clients.push(client);
    return client;
  }

  async dispose(): Promise<void> {
    for (const client of this.clients.splice(0)) client.close();
    for (const socket of this.sockets.splice(0)) socket.terminate();
    for (const server of this.servers.splice(0)) await server.close();
    for (const folder of this.folders.splice(0)) await rm(folder, { recursive: true, force: true });
  }

  private openSocket(endpoint: ControlServerEndpoint, options: RawConnectOptions): WebSocket {
    const url = new URL(options.path ?? '/control', endpoint.origin);
    url.protocol = 'ws:';
    if (options.token !== undefined) url.searchParams.set(CONTROL_TOKEN_QUERY, options.token);
    const headers: Record<string, string> = {};
    if (options.header !== undefined) headers.authorization = options.header;
    const socket = new WebSocket(url, {
      headers,
      ...(options.origin === undefined ? {} : { origin: options.origin }),
    });
    this.sockets.push(socket);
    return socket;
  }
}

export class UpgradeFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`upgrade rejected with ${status}: ${body}`);
  }
}

/** Resolves when the client reaches `state`, at once if it is there already. */
export function reachState(client: ControlClient, state: ControlClientState): Promise<void> {
  if (client.currentState === state) return Promise.resolve();
  return new Promise((resolve) => {
    const stop = client.onStateChange((next) => {
      if (next !== state) return;
      stop();
      resolve();
    });
  });
}
