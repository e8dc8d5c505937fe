import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import type { RouteResult } from './route.js';

export const MAX_BODY_BYTES = 64 * 1024;

/** A failure that becomes an HTTP response `{ error: code, message }` with its status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/**
 * Reads the request body as JSON. Returns undefined for an empty body. Rejects with 413 past
 * `limit` bytes and with 400 for text that is not JSON.
 */
export async function readJsonBody(
  request: IncomingMessage,
  limit = MAX_BODY_BYTES,
): Promise<unknown> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limit) throw tooLarge(limit);

  const text = await readText(request, limit);
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new HttpError(400, 'invalid_json', `Request body is not valid JSON: ${reason}`);
  }
}

/**
 * Reads an `application/x-www-form-urlencoded` body, as an HTML form posts it. Rejects with 415
 * for another content type and with 413 past `limit` bytes.
 */
export async function readFormBody(
  request: IncomingMessage,
  limit = MAX_BODY_BYTES,
): Promise<URLSearchParams> {
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new HttpError(
      415,
      'unsupported_media_type',
      'Request body must be application/x-www-form-urlencoded',
    );
  }
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limit) throw tooLarge(limit);
  return new URLSearchParams(await readText(request, limit));
}

/**
 * Collects the body with events rather than `for await`, because leaving an async iterator early
 * destroys the socket, and the 413 response could no longer be sent.
 */
function readText(request: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      request.off('data', onData);
      request.pause();
      reject(tooLarge(limit));
    };
    request.on('data', onData);
    request.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.once('error', reject);
  });
}

/** Validates a parsed body. A mismatch becomes 400 naming the first invalid field. */
export function parseBody<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
): z.infer<Schema> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;

  const issue = parsed.error.issues[0];
  const field = issue?.path.length ? issue.path.join('.') : 'body';
  const problem = issue?.message ?? 'invalid value';
  throw new HttpError(400, 'invalid_request', `Invalid request field ${field}: ${problem}`);
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  if (body === undefined) {
    response.writeHead(status, headers).end();
    return;
  }
  const text = JSON.stringify(body);
  response
    .writeHead(status, {
      ...headers,
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
    })
    .end(text);
}

/** Sends a route's result: its HTML page, its JSON body or no body. */
export function sendResult(response: ServerResponse, result: RouteResult): void {
  const headers = result.headers ?? {};
  if (result.html === undefined) {
    sendJson(response, result.status, result.body, headers);
    return;
  }
  response
    .writeHead(result.status, {
      ...headers,
      'content-type': 'text/html; charset=utf-8',
      'content-length': Buffer.byteLength(result.html),
    })
    .end(result.html);
}

function tooLarge(limit: number): HttpError {
  // The rest of the body is not read, so the connection cannot carry another request.
  return new HttpError(413, 'payload_too_large', `Request body exceeds ${limit} bytes`, {
    connection: 'close',
  });
}
