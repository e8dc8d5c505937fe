import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import { WebSocketServer, type WebSocket } from 'ws';

/** A recorded HTTP request. `rawQuery` is the query string exactly as it arrived. */
export interface RecordedRequest {
  method: string;
  path: string;
  rawQuery: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface RecordedCall {
  id: unknown;
  method: string;
  params: unknown;
  socket: WebSocket;
}

/** Handler result: a reply to send, or `hang` to never respond. */
export type HttpReply = { status: number; body: string; contentType?: string } | 'hang';
export type RpcReply = { result: unknown } | { error: { code: number; message: string } } | 'hang';

/** Returns the reply, or a promise of it to respond later. */
export type HttpHandler = (request: RecordedRequest) => HttpReply | Promise<HttpReply>;
export type RpcHandler = (call: RecordedCall) => RpcReply;

export const DEFAULT_OBJECTS = [
  'webhooks',
  'heaters',
  'print_stats',
  'virtual_sdcard',
  'display_status',
  'idle_timeout',
  'toolhead',
  'gcode_move',
  'extruder',
  'heater_bed',
  'fan',
  'gcode_macro PAUSE',
];

export function jsonReply(result: unknown, status = 200): HttpReply {
  return { status, body: JSON.stringify({ result }) };
}

export function errorReply(status: number, message: string): HttpReply {
  return { status, body: JSON.stringify({ error: { code: status, message } }) };
}

/**
 * A small Moonraker on 127.0.0.1 for tests: HTTP and the `/websocket` JSON-RPC endpoint on one
 * port. Handlers are replaceable per test, and every request and call is recorded and announced
 * through `events` (`request`, `call`, `connection`, `disconnect`).
 */
export class FakeMoonraker {
  readonly events = new EventEmitter();
  readonly requests: RecordedRequest[] = [];
  readonly calls: RecordedCall[] = [];
  readonly upgrades: IncomingMessage['headers'][] = [];
  readonly sockets = new Set<WebSocket>();
  readonly http = new Map<string, HttpHandler>();
  readonly rpc = new Map<string, RpcHandler>();
  /** HTTP status to reject websocket upgrades with, or null to accept them. */
  rejectUpgradeWith: number | null = null;
  objects: string[] = [...DEFAULT_OBJECTS];
  private readonly rawSockets = new Set<Socket>();
  private readonly hungResponses = new Set<ServerResponse>();

  private constructor(
    private readonly server: Server,
    private readonly wss: WebSocketServer,
  ) {
    this.installDefaults();
  }

  static async start(options: { autoPong?: boolean } = {}): Promise<FakeMoonraker> {
    const server = createServer();
    const wss = new WebSocketServer({ noServer: true, autoPong: options.autoPong ?? true });
    const fake = new FakeMoonraker(server, wss);
    server.on('request', (request, response) => fake.handleHttp(request, response));
    server.on('upgrade', (request, socket: Socket, head) =>
      fake.handleUpgrade(request, socket, head),
    );
    server.on('connection', (socket: Socket) => {
      fake.rawSockets.add(socket);
      socket.on('close', () => fake.rawSockets.delete(socket));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return fake;
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** Sends a text frame (an object is JSON-encoded) to every connected websocket. */
  send(frame: string | object): void {
    const text = typeof frame === 'string' ? frame : JSON.stringify(frame);
    for (const socket of this.sockets) socket.send(text);
  }

  notify(method: string, params?: unknown): void {
    this.send(
      params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params },
    );
  }

  /** Destroys every websocket without a closing handshake, as a crashing Moonraker would. */
  dropSockets(): void {
    for (const socket of this.sockets) socket.terminate();
  }

  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  requestsTo(path: string): RecordedRequest[] {
    return this.requests.filter((request) => request.path === path);
  }

  async close(): Promise<void> {
    for (const response of this.hungResponses) response.destroy();
    for (const socket of this.sockets) socket.terminate();
    for (const socket of this.rawSockets) socket.destroy();
    this.wss.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private installDefaults(): void {
    this.rpc.set('server.info', () => ({ result: serverInfo() }));
    this.rpc.set('printer.objects.list', () => ({ result: { objects: this.objects } }));
    this.rpc.set('printer.objects.query', () => ({
      result: { eventtime: 1, status: { heaters: heaterLists(this.objects) } },
    }));
    this.rpc.set('printer.objects.subscribe', (call) => ({
      result: { eventtime: 1, status: statusFor(call.params) },
    }));
    this.http.set('POST /printer/objects/query', (request) =>
      jsonReply({ eventtime: 2, status: statusFor(JSON.parse(request.body || '{}')) }),
    );
  }

  private handleHttp(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const [path = '', rawQuery = ''] = (request.url ?? '').split('?', 2);
      const recorded: RecordedRequest = {
        method: request.method ?? 'GET',
        path,
        rawQuery,
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      this.requests.push(recorded);
      this.events.emit('request', recorded);
      const handler = this.http.get(`${recorded.method} ${path}`);
      const reply = handler ? handler(recorded) : jsonReply('ok');
      this.hungResponses.add(response);
      void Promise.resolve(reply).then((resolved) => this.reply(response, resolved));
    });
  }

  private reply(response: ServerResponse, reply: HttpReply): void {
    if (reply === 'hang' || response.destroyed) return;
    this.hungResponses.delete(response);
    response.writeHead(reply.status, { 'Content-Type': reply.contentType ?? 'application/json' });
    response.end(reply.body);
  }

  private handleUpgrade(request: IncomingMessage, socket: Socket, head: Buffer): void {
    this.upgrades.push(request.headers);
    if (request.url !== '/websocket' || this.rejectUpgradeWith !== null) {
      const status = this.rejectUpgradeWith ?? 404;
      socket.end(`HTTP/1.1 ${status} Rejected\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => this.adopt(ws));
  }

  private adopt(socket: WebSocket): void {
    this.sockets.add(socket);
    socket.on('message', (data, isBinary) => {
      if (!isBinary) this.handleFrame(socket, data.toString());
    });
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.events.emit('disconnect', socket);
    });
    this.events.emit('connection', socket);
  }

  private handleFrame(socket: WebSocket, text: string): void {
    const frame = JSON.parse(text) as { id: unknown; method: string; params?: unknown };
    const call: RecordedCall = { id: frame.id, method: frame.method, params: frame.params, socket };
    this.calls.push(call);
    this.events.emit('call', call);
    const handler = this.rpc.get(frame.method);
    const reply: RpcReply = handler
      ? handler(call)
      : { error: { code: -32601, message: `Method not found: ${frame.method}` } };
    if (reply === 'hang') return;
    socket.send(JSON.stringify({ jsonrpc: '2.0', id: frame.id, ...reply }));
  }
}

export function serverInfo(klippyState = 'ready'): Record<string, unknown> {
  return {
    klippy_connected: klippyState !== 'disconnected',
    klippy_state: klippyState,
    components: ['klippy_connection', 'history'],
    moonraker_version: 'v0.9.3-test',
    api_version_string: '1.5.0',
  };
}

function heaterLists(objects: readonly string[]) {
  const heaters = objects.filter((name) => name === 'extruder' || name === 'heater_bed');
  return { available_heaters: heaters, available_sensors: heaters };
}

/** Builds a plausible status for each requested object, so snapshots carry something to compare. */
function statusFor(params: unknown): Record<string, Record<string, unknown>> {
  const objects = (params as { objects?: Record<string, unknown> } | undefined)?.objects ?? {};
  const status: Record<string, Record<string, unknown>> = {};
  for (const name of Object.keys(objects)) status[name] = sampleStatus(name);
  return status;
}

function sampleStatus(name: string): Record<string, unknown> {
  switch (name) {
    case 'print_stats':
      return { state: 'standby', filename: '', message: '' };
    case 'webhooks':
      return { state: 'ready', state_message: 'Printer is ready' };
    case 'extruder':
    case 'heater_bed':
      return { temperature: 21.5, target: 0 };
    default:
      return {};
  }
}

/** Resolves with the next `event` whose first argument satisfies `predicate`. */
export function nextEvent<T>(
  emitter: EventEmitter,
  event: string,
  predicate: (value: T) => boolean = () => true,
): Promise<T> {
  return new Promise((resolve) => {
    const listener = (value: T): void => {
      if (!predicate(value)) return;
      emitter.off(event, listener);
      resolve(value);
    };
    emitter.on(event, listener);
  });
}
