import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock, type Clock } from '../support/clock.js';
import type { Disposable } from '../support/disposable.js';
import { silentLogger, type Logger } from '../support/logger.js';
import { addPrinterRoutes } from './add-printer-routes.js';
import { deviceRoutes } from './device-routes.js';
import { DeviceRegistry } from './device-registry.js';
import { HttpError, sendJson, sendResult } from './http-io.js';
import { LinkCodeBook } from './link-codes.js';
import { operatorRoutes } from './operator-routes.js';
import type { Route } from './route.js';
import { TokenAuthority, equalSecrets } from './token-authority.js';

export interface CloudHttpServerOptions {
  clock?: Clock;
  logger?: Logger;
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** Defaults to 0, a free port chosen by the system. */
  port?: number;
  registry?: DeviceRegistry;
  /** Used when no `authority` is given. */
  tokenLifetimeSeconds?: number;
  /** Bound of the broker provisioning of one token, used when no `authority` is given. */
  provisionTimeoutMs?: number;
  authority?: TokenAuthority;
  linkCodes?: LinkCodeBook;
  /** Bearer token of the operator endpoints, random when absent. */
  operatorToken?: string;
  tenantId?: string;
  /** Defaults to 300 s. */
  maxTimestampSkewSeconds?: number;
}

const DEFAULT_TENANT_ID = '00000000-0000-0000-0000-000000000001';

/**
 * The HTTP half of a local stand-in for Owl Cloud: device linking and token issue as the
 * contract defines them, plus operator endpoints that take the place of the Owl web UI.
 */
export class CloudHttpServer implements Disposable {
  readonly registry: DeviceRegistry;
  readonly authority: TokenAuthority;
  readonly linkCodes: LinkCodeBook;
  readonly operatorToken: string;
  private readonly logger: Logger;
  private readonly routes: Route[];
  private server: Server | undefined;
  private baseUrl: string | undefined;

  constructor(private readonly options: CloudHttpServerOptions = {}) {
    const clock = options.clock ?? systemClock;
    this.logger = (options.logger ?? silentLogger).child({ component: 'local-cloud-http' });
    this.registry = options.registry ?? new DeviceRegistry({ logger: options.logger });
    this.authority =
      options.authority ??
      new TokenAuthority({
        registry: this.registry,
        clock,
        logger: options.logger,
        lifetimeSeconds: options.tokenLifetimeSeconds,
        provisionTimeoutMs: options.provisionTimeoutMs,
      });
    this.linkCodes = options.linkCodes ?? new LinkCodeBook(clock);
    this.operatorToken = options.operatorToken ?? randomBytes(24).toString('base64url');
    const shared = { clock, registry: this.registry, linkCodes: this.linkCodes };
    this.routes = [
      ...deviceRoutes({
        ...shared,
        logger: this.logger,
        authority: this.authority,
        tenantId: options.tenantId ?? DEFAULT_TENANT_ID,
        maxTimestampSkewSeconds: options.maxTimestampSkewSeconds ?? 300,
      }),
      ...operatorRoutes(shared),
      ...addPrinterRoutes({ linkCodes: this.linkCodes, logger: this.logger }),
    ];
  }

  /** Base URL without a trailing slash, such as `http://127.0.0.1:41234`. */
  get url(): string {
    if (this.baseUrl === undefined) throw new Error('The local cloud HTTP server is not started');
    return this.baseUrl;
  }

  /** Starts listening and resolves with the base URL. */
  async start(): Promise<string> {
    if (this.baseUrl !== undefined) return this.baseUrl;

    const server = createServer((request, response) => void this.dispatch(request, response));
    this.server = server;
    const host = this.options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    this.baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    this.logger.info({ url: this.baseUrl }, 'local cloud HTTP server listening');
    return this.baseUrl;
  }

  /** Stops listening and closes every open connection, idle or not. */
  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.baseUrl = undefined;

    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
    this.logger.info('local cloud HTTP server stopped');
  }

  dispose(): void {
    void this.close();
  }

  private async dispatch(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://local').pathname;
    try {
      const { route, params } = this.match(request.method ?? 'GET', path);
      if (route.operator) this.authorizeOperator(request);
      const result = await route.handle(request, params);
      sendResult(response, result);
      this.logger.debug({ method: request.method, path, status: result.status }, 'request');
    } catch (error) {
      this.sendError(response, error, request.method, path);
    }
  }

  private match(method: string, path: string): { route: Route; params: Record<string, string> } {
    const candidates = this.routes.filter((route) => route.pattern.test(path));
    if (candidates.length === 0) throw new HttpError(404, 'not_found', `No endpoint at ${path}`);

    const route = candidates.find((candidate) => candidate.method === method);
    if (!route) {
      const allow = candidates.map((candidate) => candidate.method).join(', ');
      throw new HttpError(405, 'method_not_allowed', `${path} accepts ${allow}`, { allow });
    }
    return { route, params: decodeParams(route.pattern.exec(path)?.groups ?? {}) };
  }

  private authorizeOperator(request: IncomingMessage): void {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (match?.[1] !== undefined && equalSecrets(match[1], this.operatorToken)) return;
    throw new HttpError(401, 'unauthorized', 'Missing or invalid operator bearer token', {
      'www-authenticate': 'Bearer',
    });
  }

  private sendError(
    response: ServerResponse,
    error: unknown,
    method: string | undefined,
    path: string,
  ): void {
    if (response.headersSent || response.destroyed) return;
    if (error instanceof HttpError) {
      sendJson(
        response,
        error.status,
        { error: error.code, message: error.message },
        error.headers,
      );
      this.logger.debug({ method, path, status: error.status, code: error.code }, 'request failed');
      return;
    }
    this.logger.error({ err: error, method, path }, 'request handler failed');
    sendJson(response, 500, { error: 'internal_error', message: 'Internal server error' });
  }
}

function decodeParams(groups: Record<string, string | undefined>): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(groups)) {
    if (value === undefined) continue;
    try {
      params[name] = decodeURIComponent(value);
    } catch {
      throw new HttpError(
        400,
        'invalid_path',
        `Path parameter ${name} is not valid percent-encoding`,
      );
    }
  }
  return params;
}
