import { readFile } from 'node:fs/promises';

import { protocol } from 'electron';

import { toDisposable, type Disposable } from '../support/disposable.js';
import type { Logger } from '../support/logger.js';
import {
  APP_SCHEME,
  CONTENT_SECURITY_POLICY,
  contentTypeOf,
  resolveAppAsset,
} from './logic/app-protocol.js';

/** Marks `app:` as a standard, secure scheme; Electron accepts this only before `ready`. */
export function registerAppSchemePrivileges(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Serves the renderer build from `root` on `app://owl/`, every response with the CSP header. */
export function registerAppProtocol(root: string, logger: Logger): Disposable {
  protocol.handle(APP_SCHEME, async (request) => {
    const path = resolveAppAsset(root, request.url);
    if (!path) return new Response('Not found', { status: 404 });
    try {
      const body = await readFile(path);
      return new Response(body, {
        headers: {
          'content-type': contentTypeOf(path),
          'content-security-policy': CONTENT_SECURITY_POLICY,
          'x-content-type-options': 'nosniff',
        },
      });
    } catch (error) {
      logger.warn({ path, err: error }, 'Serving an app file failed');
      return new Response('Not found', { status: 404 });
    }
  });
  return toDisposable(() => protocol.unhandle(APP_SCHEME));
}
