import type { IncomingMessage } from 'node:http';
import type { RawData, WebSocket } from 'ws';
import type { Logger } from '../support/logger.js';
import { ApiError, toApiError } from './api-error.js';
import { hasValidApiKey } from './authorization.js';
import type { ClientRegistry } from './client-registry.js';
import { errorMessageFor, parseRpcMessage, resultMessage, type RpcEntry } from './json-rpc.js';
import type { MoonrakerApi } from './moonraker-api.js';
import type { PrinterBackend } from './printer-backend.js';
import type { WebsocketClient } from './websocket-client.js';

export interface WebsocketEndpointOptions {
  readonly api: MoonrakerApi;
  readonly clients: ClientRegistry;
  readonly backend: PrinterBackend;
  readonly apiKey: string | undefined;
  readonly logger: Logger;
}

/**
 * Serves JSON-RPC on `/websocket`. Like Moonraker, it accepts the upgrade without valid
 * credentials and then rejects every request with 401 until `server.connection.identify` passes
 * the API key.
 */
export class WebsocketEndpoint {
  constructor(private readonly options: WebsocketEndpointOptions) {}

  handleConnection(socket: WebSocket, request: IncomingMessage): void {
    const { clients, backend, apiKey, logger } = this.options;
    const client = clients.add(socket, hasValidApiKey(request.headers, apiKey));
    logger.debug(
      { clientId: client.id, authenticated: client.authenticated },
      'Websocket client connected',
    );
    socket.on('message', (data) => this.handleMessage(client, rawText(data)));
    socket.on('error', (error) =>
      logger.debug({ clientId: client.id, err: error }, 'Websocket client error'),
    );
    socket.on('close', () => {
      clients.remove(client.id);
      backend.clientClosed(client.id);
      logger.debug({ clientId: client.id }, 'Websocket client disconnected');
    });
  }

  private handleMessage(client: WebsocketClient, text: string): void {
    const { batch, entries } = parseRpcMessage(text);
    const tasks: (() => void)[] = [];
    const responses = entries
      .map((entry) => this.respond(client, entry, tasks))
      .filter((response) => response !== undefined);
    if (responses.length > 0) client.send(JSON.stringify(batch ? responses : responses[0]));
    for (const task of tasks) task();
  }

  /** Returns the response to one entry, or undefined for a JSON-RPC notification. */
  private respond(
    client: WebsocketClient,
    entry: RpcEntry,
    tasks: (() => void)[],
  ): Record<string, unknown> | undefined {
    if (entry.kind === 'invalid') return errorMessageFor(entry.id, entry.error);
    const { method, params, id } = entry.request;
    try {
      if (!client.authenticated && method !== 'server.connection.identify') {
        throw new ApiError('unauthorized', 'Unauthorized');
      }
      const context = {
        transport: 'websocket',
        client,
        afterResponse: (task: () => void) => tasks.push(task),
      } as const;
      const result = this.options.api.call(method, params, context);
      return id === undefined ? undefined : resultMessage(id, result);
    } catch (error) {
      const apiError = toApiError(error);
      this.logFailure(client, method, apiError);
      return id === undefined ? undefined : errorMessageFor(id, apiError);
    }
  }

  private logFailure(client: WebsocketClient, method: string, error: ApiError): void {
    const fields = { clientId: client.id, method, code: error.code, err: error };
    if (error.code === 'internal_error')
      this.options.logger.error(fields, 'Websocket request failed');
    else this.options.logger.debug(fields, 'Websocket request rejected');
  }
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
