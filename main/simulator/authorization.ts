import type { IncomingHttpHeaders } from 'node:http';
import { ApiError } from './api-error.js';

/**
 * Returns whether a request may proceed: always when no API key is configured, else only with a
 * matching `X-Api-Key` header. The simulator models no trusted networks, users or tokens.
 */
export function hasValidApiKey(headers: IncomingHttpHeaders, apiKey: string | undefined): boolean {
  if (apiKey === undefined) return true;
  return headers['x-api-key'] === apiKey;
}

/** Moonraker's rejection of a request without valid credentials: status 401, "Unauthorized". */
export function unauthorized(): ApiError {
  return new ApiError('unauthorized', 'Unauthorized');
}

/**
 * Moonraker serves `.png` files under `/server/files/` to GET requests without credentials, so
 * that thumbnails load in plain image tags.
 */
export function isPublicFileRequest(method: string | undefined, path: string): boolean {
  return (
    method === 'GET' && path.startsWith('/server/files/') && path.toLowerCase().endsWith('.png')
  );
}
