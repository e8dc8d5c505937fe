import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

import { SECURITY_HEADERS } from './security-headers.js';

/** Sends a short plain-text reply, such as an error, with the security headers and no caching. */
export function sendText(
  response: ServerResponse,
  status: number,
  message: string,
  headers: OutgoingHttpHeaders = {},
): void {
  const body = `${message}\n`;
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    ...headers,
  });
  response.end(response.req.method === 'HEAD' ? undefined : body);
}
