import type { IncomingMessage } from 'node:http';

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

export interface RouteResult {
  status: number;
  /** JSON body; absent for an empty response such as 204. */
  body?: unknown;
  /** An HTML page, sent instead of `body`. */
  html?: string;
  headers?: Readonly<Record<string, string>>;
}

/** One endpoint. `pattern` matches the whole path, and its named groups become `params`,
 * percent-decoded. */
export interface Route {
  method: HttpMethod;
  pattern: RegExp;
  /** Whether the endpoint needs the operator bearer token. */
  operator: boolean;
  handle(request: IncomingMessage, params: Readonly<Record<string, string>>): Promise<RouteResult>;
}
