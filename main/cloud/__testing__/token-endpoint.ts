import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { TOKEN_PATH } from '../../../shared/contract/device-http.js';

/** A response of the token endpoint: a status, extra headers, and a JSON body. */
export interface EndpointResponse {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

/**
 * Returns the response to one token request, or 'drop' to close the connection without one, as
 * an unreachable server does. `index` counts requests from 0.
 */
export type EndpointHandler = (
  index: number,
  request: IncomingMessage,
) => EndpointResponse | 'drop';

/**
 * Test helper: a real HTTP server on a loopback port. It responds to a POST to the token path
 * with whatever `handler` returns, and to anything else with 404.
 */
export class TokenEndpoint {
  requests = 0;
  private readonly server: Server;

  private constructor(handler: EndpointHandler) {
    this.server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        if (request.method !== 'POST' || request.url !== TOKEN_PATH) {
          response.writeHead(404).end();
          return;
        }
        const answer = handler(this.requests, request);
        this.requests += 1;
        if (answer === 'drop') {
          request.socket.destroy();
          return;
        }
        response.writeHead(answer.status, {
          'content-type': 'application/json',
          ...answer.headers,
        });
        response.end(JSON.stringify(answer.body));
      });
    });
  }

  static async start(handler: EndpointHandler): Promise<TokenEndpoint> {
    const endpoint = new TokenEndpoint(handler);
    endpoint.server.listen(0, '127.0.0.1');
    await once(endpoint.server, 'listening');
    return endpoint;
  }

  get baseUrl(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }
}
