import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

/** An HTTP server on a loopback address for tests, recording the paths it was asked for. */
export interface TestServer {
  readonly host: string;
  readonly port: number;
  readonly paths: string[];
  close(): Promise<void>;
}

export async function startTestServer(
  handler: RequestHandler,
  options: { host?: string; port?: number } = {},
): Promise<TestServer> {
  const host = options.host ?? '127.0.0.1';
  const paths: string[] = [];
  const server = createServer((request, response) => {
    paths.push(request.url ?? '/');
    handler(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    host,
    port,
    paths,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Returns a port on `host` that nothing listens on: bound once by the system, then released. */
export async function closedPort(host = '127.0.0.1'): Promise<number> {
  const server = await startTestServer(() => undefined, { host });
  await server.close();
  return server.port;
}

export interface FakeMoonrakerOptions {
  hostname?: string;
  klippyState?: string;
  instanceId?: string;
  configFile?: string;
  /** When set, requests without this `X-Api-Key` get 401. */
  apiKey?: string;
  /** Served at `/machine/system_info`; 404 when absent. */
  macAddress?: string;
  ipAddresses?: string[];
}

/** Responds to `/server/info`, `/printer/info` and `/machine/system_info` as Moonraker does. */
export function fakeMoonraker(options: FakeMoonrakerOptions = {}): RequestHandler {
  return (request, response) => {
    if (options.apiKey && request.headers['x-api-key'] !== options.apiKey) {
      sendJson(response, 401, { error: { code: 401, message: 'Unauthorized' } });
      return;
    }
    const path = new URL(request.url ?? '/', 'http://test').pathname;
    const reply = moonrakerReply(path, options);
    if (reply === undefined) {
      sendJson(response, 404, { error: { code: 404, message: 'Not Found' } });
      return;
    }
    sendJson(response, 200, { result: reply });
  };
}

function moonrakerReply(path: string, options: FakeMoonrakerOptions): unknown {
  const klippyState = options.klippyState ?? 'ready';
  switch (path) {
    case '/server/info':
      return {
        klippy_connected: klippyState !== 'disconnected',
        klippy_state: klippyState,
        components: ['database', 'machine'],
        moonraker_version: 'v0.9.3-1',
        api_version_string: '1.5.0',
        ...(options.instanceId ? { instance_id: options.instanceId } : {}),
      };
    case '/printer/info':
      if (klippyState === 'disconnected') return undefined;
      return {
        state: klippyState,
        hostname: options.hostname ?? 'voron',
        software_version: 'v0.12.0-100',
        config_file: options.configFile ?? '/home/pi/printer_data/config/printer.cfg',
      };
    case '/machine/system_info':
      return options.macAddress
        ? systemInfo(options.macAddress, options.ipAddresses ?? [])
        : undefined;
    default:
      return undefined;
  }
}

function systemInfo(macAddress: string, ipAddresses: string[]): unknown {
  return {
    system_info: {
      cpu_info: { serial_number: '' },
      network: {
        eth0: {
          mac_address: macAddress,
          ip_addresses: ipAddresses.map((address) => ({ family: 'ipv4', address })),
        },
      },
    },
  };
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify(body));
}
