import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import {
  HEALTH_ENDPOINT_DEFAULT_HOST,
  HEALTH_ENDPOINT_PATH,
  overallHealthStatus,
  type AgentStateReport,
  type HealthComponent,
  type HealthReport,
} from '../../shared/contract/health-endpoint.js';
import { isoSeconds } from '../../shared/contract/time.js';
import { systemClock, type Clock } from '../support/clock.js';
import { CodedError } from '../support/coded-error.js';
import type { Disposable } from '../support/disposable.js';
import type { Logger } from '../support/logger.js';

export interface HealthSnapshot {
  components: HealthComponent[];
  agentState: AgentStateReport;
}

export type HealthSnapshotProvider = () => HealthSnapshot;

export interface HealthServerOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 picks a free port. */
  port: number;
  provider: HealthSnapshotProvider;
  logger: Logger;
  clock?: Clock;
}

/**
 * Serves `GET /healthz`: 200 with `status: "ok"` when every component and the agent state are
 * healthy, else 503 with `status: "degraded"`. Every other method or path gets 404. There is no
 * authentication, so it binds to loopback unless configured otherwise.
 */
export class HealthServer implements Disposable {
  private server: Server | null = null;
  private readonly logger: Logger;
  private readonly clock: Clock;

  constructor(private readonly options: HealthServerOptions) {
    this.logger = options.logger.child({ component: 'health-endpoint' });
    this.clock = options.clock ?? systemClock;
  }

  /** Listens and resolves with the bound address, or rejects with `listen_failed`. */
  async start(): Promise<AddressInfo> {
    if (this.server) throw new CodedError('already_started', 'Health server is already started');
    const host = this.options.host ?? HEALTH_ENDPOINT_DEFAULT_HOST;
    const server = createServer((request, response) => this.handle(request, response));
    this.server = server;
    try {
      await listen(server, this.options.port, host);
    } catch (error) {
      this.server = null;
      throw error;
    }
    const address = server.address() as AddressInfo;
    this.logger.info({ host: address.address, port: address.port }, 'health endpoint listening');
    return address;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.logger.info('health endpoint closed');
  }

  dispose(): void {
    void this.close();
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (request.method !== 'GET' || path !== HEALTH_ENDPOINT_PATH) {
      send(response, 404, { error: 'not found' });
      return;
    }
    const report = this.buildReport();
    send(response, report.status === 'ok' ? 200 : 503, report);
  }

  private buildReport(): HealthReport {
    try {
      const { components, agentState } = this.options.provider();
      return { status: overallHealthStatus(components, agentState), components, agentState };
    } catch (error) {
      this.logger.error({ err: error }, 'health snapshot provider threw');
      const agentState = {
        state: 'health report failed',
        healthy: false,
        updatedAt: isoSeconds(this.clock.now()),
      };
      return { status: 'degraded', components: [], agentState };
    }
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error) => {
      const message = `Health server cannot listen on ${host}:${port}: ${error.message}`;
      reject(new CodedError('listen_failed', message, { cause: error }));
    });
    server.listen(port, host, () => resolve());
  });
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  response.end(text);
}

export interface HealthEndpointSettings {
  enabled: boolean;
  host?: string;
  port: number;
}

/** Starts the endpoint when it is enabled and has a port above 0, and returns null otherwise. */
export async function startHealthServer(
  settings: HealthEndpointSettings,
  provider: HealthSnapshotProvider,
  logger: Logger,
): Promise<HealthServer | null> {
  if (!settings.enabled || settings.port <= 0) return null;
  const server = new HealthServer({
    ...(settings.host === undefined ? {} : { host: settings.host }),
    port: settings.port,
    provider,
    logger,
  });
  await server.start();
  return server;
}
