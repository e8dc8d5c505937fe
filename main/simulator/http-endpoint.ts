import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../support/logger.js';
import { ApiError, toApiError } from './api-error.js';
import { hasValidApiKey, isPublicFileRequest, unauthorized } from './authorization.js';
import type { GcodeCatalog } from './gcode-catalog.js';
import type { MoonrakerApi } from './moonraker-api.js';
import { fieldSelectionFromQuery, isPlainObject } from './object-status.js';

/** An HTTP route and the JSON-RPC method it calls. */
interface Route {
  readonly methods: readonly string[];
  readonly rpc: string;
  /** Query string parameters name printer objects, as on Moonraker's object endpoints. */
  readonly objectQuery?: boolean;
}

const ROUTES: Readonly<Record<string, Route>> = {
  '/server/info': { methods: ['GET'], rpc: 'server.info' },
  '/server/files/metadata': { methods: ['GET'], rpc: 'server.files.metadata' },
  '/server/files/list': { methods: ['GET'], rpc: 'server.files.list' },
  '/server/history/list': { methods: ['GET'], rpc: 'server.history.list' },
  '/printer/info': { methods: ['GET'], rpc: 'printer.info' },
  '/printer/objects/list': { methods: ['GET'], rpc: 'printer.objects.list' },
  '/printer/objects/query': {
    methods: ['GET', 'POST'],
    rpc: 'printer.objects.query',
    objectQuery: true,
  },
  '/printer/print/start': { methods: ['POST'], rpc: 'printer.print.start' },
  '/printer/print/pause': { methods: ['POST'], rpc: 'printer.print.pause' },
  '/printer/print/resume': { methods: ['POST'], rpc: 'printer.print.resume' },
  '/printer/print/cancel': { methods: ['POST'], rpc: 'printer.print.cancel' },
  '/printer/emergency_stop': { methods: ['POST'], rpc: 'printer.emergency_stop' },
  '/printer/firmware_restart': { methods: ['POST'], rpc: 'printer.firmware_restart' },
  '/printer/gcode/script': { methods: ['POST'], rpc: 'printer.gcode.script' },
};

const GCODE_FILES_PREFIX = '/server/files/gcodes/';
const MAX_BODY_BYTES = 1024 * 1024;

export interface HttpEndpointOptions {
  readonly api: MoonrakerApi;
  readonly catalog: GcodeCatalog;
  readonly apiKey: string | undefined;
  readonly logger: Logger;
}

/**
 * Serves Moonraker's HTTP API: `{"result": ...}` on success and `{"error": {code, message}}` with
 * the matching status on failure.
 */
export class HttpEndpoint {
  constructor(private readonly options: HttpEndpointOptions) {}

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://simulator');
    try {
      if (
        !isPublicFileRequest(request.method, url.pathname) &&
        !hasValidApiKey(request.headers, this.options.apiKey)
      ) {
        throw unauthorized();
      }
      if (url.pathname.startsWith(GCODE_FILES_PREFIX)) {
        this.serveFile(request, response, url.pathname);
        return;
      }
      const { result, tasks } = await this.callRoute(request, url);
      sendJson(response, 200, { result });
      for (const task of tasks) task();
    } catch (error) {
      const apiError = toApiError(error);
      if (apiError.code === 'internal_error') {
        this.options.logger.error({ path: url.pathname, err: apiError }, 'HTTP request failed');
      }
      sendJson(response, apiError.httpStatus, {
        error: { code: apiError.httpStatus, message: apiError.message },
      });
    }
  }

  private async callRoute(
    request: IncomingMessage,
    url: URL,
  ): Promise<{ result: unknown; tasks: (() => void)[] }> {
    const route = ROUTES[url.pathname];
    if (!route) throw new ApiError('not_found', 'Not Found');
    if (!route.methods.includes(request.method ?? '')) {
      throw new ApiError('method_not_allowed', 'Method Not Allowed');
    }
    const args = route.objectQuery
      ? { objects: fieldSelectionFromQuery(url.searchParams) }
      : Object.fromEntries(url.searchParams);
    Object.assign(args, await readJsonBody(request));
    const tasks: (() => void)[] = [];
    const result = this.options.api.call(route.rpc, args, {
      transport: 'http',
      afterResponse: (task) => tasks.push(task),
    });
    return { result, tasks };
  }

  private serveFile(request: IncomingMessage, response: ServerResponse, pathname: string): void {
    if (request.method !== 'GET') throw new ApiError('method_not_allowed', 'Method Not Allowed');
    const path = safeDecode(pathname.slice(GCODE_FILES_PREFIX.length));
    const png = path === undefined ? undefined : this.options.catalog.thumbnail(path);
    if (!png) throw new ApiError('not_found', 'Not Found');
    response.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length });
    response.end(png);
  }
}

/**
 * Reads a JSON object body. Like Moonraker, a body that is not JSON, or not sent as
 * `application/json`, contributes no arguments.
 */
async function readJsonBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES)
      throw new ApiError('bad_request', `Request body exceeds ${MAX_BODY_BYTES} bytes`);
    chunks.push(buffer);
  }
  const isJson = (request.headers['content-type'] ?? '').startsWith('application/json');
  if (!isJson || chunks.length === 0) return {};
  try {
    const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    return isPlainObject(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

function safeDecode(path: string): string | undefined {
  try {
    return decodeURIComponent(path);
  } catch {
    return undefined;
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}
