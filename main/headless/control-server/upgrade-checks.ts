import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

import { CONTROL_TOKEN_QUERY } from '../../../shared/control-api/protocol.js';
import type { Clock } from '../../support/clock.js';
import { LogRateLimiter, type Logger } from '../../support/logger.js';
import { controlTokensMatch } from './control-token.js';
import { parseRequestTarget } from './request-target.js';

/** Rejection of a WebSocket upgrade: the HTTP status and a sentence for the client. */
export interface UpgradeRejection {
  status: 400 | 401 | 403 | 404 | 503;
  message: string;
}

export interface UpgradeRules {
  socketPath: string;
  token: string;
  /** Port the server is bound to, which same-origin pages use. */
  port: number;
  clientCount: number;
  maxClients: number;
}

/**
 * Checks an upgrade request before the WebSocket handshake: the path, the Origin header, the
 * token and the client limit. A request without Origin passes the origin check, because
 * browsers always send one and other clients need not. The token comes from an
 * `Authorization: Bearer` header, else from the `token` query parameter.
 */
export function checkUpgrade(
  request: IncomingMessage,
  rules: UpgradeRules,
): UpgradeRejection | null {
  const url = parseRequestTarget(request.url);
  if (!url) return { status: 400, message: 'The request target is not a path' };
  if (url.pathname !== rules.socketPath) {
    return { status: 404, message: `No WebSocket endpoint at ${url.pathname}` };
  }
  const origin = request.headers.origin;
  if (origin !== undefined && !isSameOrigin(origin, rules.port)) {
    return { status: 403, message: 'Cross-origin control connections are not allowed' };
  }
  const tokenRejection = checkToken(request, url, rules.token);
  if (tokenRejection) return tokenRejection;
  if (rules.clientCount >= rules.maxClients) {
    return { status: 503, message: `Too many control clients (max ${rules.maxClients})` };
  }
  return null;
}

/**
 * Checks the token of a request: from an `Authorization: Bearer` header, else from the `token`
 * query parameter. Returns the 401 rejection for a missing or wrong token, else null.
 */
export function checkToken(
  request: IncomingMessage,
  url: URL,
  expected: string,
): UpgradeRejection | null {
  const token = presentedToken(request, url);
  if (token !== undefined && controlTokensMatch(expected, token)) return null;
  const message = token === undefined ? 'Missing control token' : 'Invalid control token';
  return { status: 401, message };
}

/** Returns whether a request presents a token at all, in the header or in the query. */
export function presentsToken(request: IncomingMessage, url: URL): boolean {
  return presentedToken(request, url) !== undefined;
}

function isSameOrigin(origin: string, port: number): boolean {
  return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}

function presentedToken(request: IncomingMessage, url: URL): string | undefined {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match?.[1] ?? '';
  }
  return url.searchParams.get(CONTROL_TOKEN_QUERY) ?? undefined;
}

/** Rejects an upgrade request with a plain-text HTTP error response and closes the socket. */
export function rejectUpgrade(socket: Duplex, rejection: UpgradeRejection): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = `${rejection.message}\n`;
  const head = [
    `HTTP/1.1 ${rejection.status} ${STATUS_CODES[rejection.status] ?? ''}`,
    'Connection: close',
    'Content-Type: text/plain; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Cache-Control: no-store',
  ];
  socket.once('finish', () => socket.destroy());
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}

/**
 * Applies `checkUpgrade` and rejects failing upgrades with an HTTP error. Rejections are logged
 * with at most five lines a minute per status, so a page retrying with a stale token cannot
 * flood the log.
 */
export class UpgradeGate {
  private readonly rejectionLog: LogRateLimiter;

  constructor(
    private readonly logger: Logger,
    clock: Clock,
  ) {
    this.rejectionLog = new LogRateLimiter(60_000, 5, () => clock.monotonic());
  }

  /** Returns whether the upgrade may proceed. A rejected upgrade has got its HTTP error. */
  admit(request: IncomingMessage, socket: Duplex, rules: UpgradeRules): boolean {
    const rejection = checkUpgrade(request, rules);
    if (!rejection) return true;
    this.logRejection(request, rejection);
    rejectUpgrade(socket, rejection);
    return false;
  }

  private logRejection(request: IncomingMessage, rejection: UpgradeRejection): void {
    const dropped = this.rejectionLog.admit(String(rejection.status));
    if (dropped === null) return;
    const fields = {
      status: rejection.status,
      reason: rejection.message,
      origin: request.headers.origin,
      remote: request.socket.remoteAddress,
      ...(dropped > 0 ? { suppressed: dropped } : {}),
    };
    this.logger.warn(fields, 'rejected a control connection');
  }
}
