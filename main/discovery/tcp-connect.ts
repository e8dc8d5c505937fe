import { createConnection, type Socket } from 'node:net';

import type { Clock } from '../support/clock.js';
import { systemErrorCode } from '../moonraker/errors.js';
import type { UnreachableReason } from './discovery-errors.js';

/** Outcome of a TCP connect: open with the local address used, or the reason it failed. */
export type TcpConnectResult =
  | { readonly open: true; readonly localAddress: string | undefined }
  | { readonly open: false; readonly reason: UnreachableReason; readonly systemCode?: string };

export type SocketFactory = (options: { host: string; port: number }) => Socket;

export interface TcpConnectOptions {
  host: string;
  port: number;
  timeoutMs: number;
  clock: Clock;
  signal?: AbortSignal;
  createSocket?: SocketFactory;
}

const defaultSocketFactory: SocketFactory = (options) => createConnection(options);

/**
 * Opens a TCP connection and closes it again at once: a cheap test of whether anything listens,
 * before the slower HTTP probe. Resolves with `timeout` when the deadline passes or the signal
 * aborts. Never rejects.
 */
export function tryTcpConnect(options: TcpConnectOptions): Promise<TcpConnectResult> {
  return new Promise((resolve) => {
    const socket = (options.createSocket ?? defaultSocketFactory)({
      host: options.host,
      port: options.port,
    });
    let settled = false;
    const finish = (result: TcpConnectResult): void => {
      if (settled) return;
      settled = true;
      options.clock.clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(result);
    };
    const onAbort = (): void => finish({ open: false, reason: 'timeout' });
    const timer = options.clock.setTimeout(onAbort, options.timeoutMs);

    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () =>
      finish({ open: true, localAddress: plainAddress(socket.localAddress) }),
    );
    socket.once('error', (error) => finish(failure(error)));
  });
}

/** Classifies a socket error by its system code. */
export function unreachableReason(code: string | undefined): UnreachableReason {
  switch (code) {
    case 'ECONNREFUSED':
      return 'refused';
    case 'ETIMEDOUT':
      return 'timeout';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
    case 'EAI_NODATA':
      return 'host_not_found';
    case 'EHOSTUNREACH':
    case 'EHOSTDOWN':
    case 'ENETUNREACH':
    case 'ENETDOWN':
      return 'no_route';
    default:
      return 'failed';
  }
}

function failure(error: unknown): TcpConnectResult {
  const systemCode = systemErrorCode(error);
  const reason = unreachableReason(systemCode);
  return systemCode === undefined ? { open: false, reason } : { open: false, reason, systemCode };
}

/** Strips the `::ffff:` prefix of an IPv4-mapped IPv6 address. */
export function plainAddress(address: string | undefined): string | undefined {
  return address?.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
}
