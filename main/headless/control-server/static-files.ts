import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';

import type { Logger } from '../../support/logger.js';
import { contentTypeOf } from './content-types.js';
import { sendText } from './http-replies.js';
import { SECURITY_HEADERS } from './security-headers.js';
import { isInside, resolveStaticPath } from './static-path.js';

const INDEX_FILE = 'index.html';

/** Build output under `assets/` has content hashes in its names, so it never changes. */
const IMMUTABLE_PREFIX = 'assets';

/**
 * Serves a web build from one folder: `/` and paths without an extension that match no file get
 * `index.html` (client-side routes), other files get their content type. Nothing outside the
 * folder is served, neither by dot segments nor by symbolic links pointing out of it.
 */
export class StaticFiles {
  private readonly root: string;
  private realRoot: Promise<string> | null = null;

  constructor(
    root: string,
    private readonly logger: Logger,
  ) {
    this.root = resolve(root);
  }

  async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      sendText(response, 405, 'Method not allowed', { allow: 'GET, HEAD' });
      return;
    }
    const target = resolveStaticPath(this.root, request.url);
    if (target.kind === 'invalid') {
      this.logger.debug({ reason: target.reason }, 'rejected a static file path');
      sendText(response, 400, `Invalid path: ${target.reason}`);
      return;
    }
    if (target.kind === 'hidden') {
      sendText(response, 404, 'Not found');
      return;
    }
    const file = await this.findFile(target.path, target.segments);
    if (file === null) {
      sendText(response, 404, 'Not found');
      return;
    }
    await this.sendFile(response, file);
  }

  /** Finds the file to send, falling back to the index for client-side routes. */
  private async findFile(path: string, segments: readonly string[]): Promise<ServedFile | null> {
    const direct = await this.existingFile(segments.length === 0 ? join(path, INDEX_FILE) : path);
    if (direct) return { ...direct, immutable: segments[0] === IMMUTABLE_PREFIX };
    if (segments.length === 0 || extname(path) !== '') return null;
    const index = await this.existingFile(join(this.root, INDEX_FILE));
    return index && { ...index, immutable: false };
  }

  private async existingFile(path: string): Promise<{ path: string; size: number } | null> {
    try {
      const real = await realpath(path);
      if (!isInside(await this.resolveRealRoot(), real)) return null;
      const info = await stat(real);
      return info.isFile() ? { path: real, size: info.size } : null;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return null;
      throw error;
    }
  }

  private resolveRealRoot(): Promise<string> {
    this.realRoot ??= realpath(this.root).catch((error: unknown) => {
      this.realRoot = null;
      throw error;
    });
    return this.realRoot;
  }

  private async sendFile(response: ServerResponse, file: ServedFile): Promise<void> {
    response.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': contentTypeOf(file.path),
      'content-length': file.size,
      'cache-control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    if (response.req.method === 'HEAD') {
      response.end();
      return;
    }
    try {
      await pipeline(createReadStream(file.path), response);
    } catch (error) {
      this.logger.warn({ err: error, path: file.path }, 'sending a static file failed');
    }
  }
}

interface ServedFile {
  path: string;
  size: number;
  immutable: boolean;
}
