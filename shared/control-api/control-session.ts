import { CONTROL_SOCKET_PATH, CONTROL_TOKEN_QUERY } from './protocol.js';

/**
 * How a browser page finds the control API: the service prints a page address such as
 * `http://127.0.0.1:8765/?token=…`, and the page derives the socket address from its own origin
 * and reads the token from its own query string.
 */
export interface ControlSession {
  socketUrl: string;
  token: string;
}

/** Builds the page address that carries the token, for the service to print. */
export function controlPageUrl(origin: string, token: string): string {
  const url = new URL('/', origin);
  url.searchParams.set(CONTROL_TOKEN_QUERY, token);
  return url.href;
}

/** Builds `ws://host:port/control` from an `http://host:port` origin. */
export function controlSocketUrl(origin: string): string {
  const url = new URL(CONTROL_SOCKET_PATH, origin);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}

/** Returns the session of a page address, or null when the address carries no token. */
export function sessionFromPageUrl(pageUrl: string): ControlSession | null {
  const url = new URL(pageUrl);
  const token = url.searchParams.get(CONTROL_TOKEN_QUERY);
  if (!token) return null;
  return { socketUrl: controlSocketUrl(url.origin), token };
}
