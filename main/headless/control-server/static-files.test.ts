import { request, type IncomingHttpHeaders } from 'node:http';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { ControlRig } from './__testing__/control-rig.js';
import type { ControlServerEndpoint } from './control-server.js';
import { CONTROL_UI_CSP } from './security-headers.js';

const rig = new ControlRig();

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Sends the path exactly as written, because `fetch` would resolve dot segments first. */
function rawRequest(
  endpoint: ControlServerEndpoint,
  path: string,
  method = 'GET',
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: '127.0.0.1', port: endpoint.port, path, method },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end();
  });
}

const INDEX =
  '<!doctype html><title>moonraker-owl</title><script src="/assets/app-1a2b.js"></script>';

let endpoint: ControlServerEndpoint;

beforeEach(async () => {
  const folder = await rig.folder();
  const root = join(folder, 'ui');
  await mkdir(join(root, 'assets'), { recursive: true });
  await writeFile(join(root, 'index.html'), INDEX);
  await writeFile(join(root, 'assets', 'app-1a2b.js'), 'console.log("owl");');
  await writeFile(join(root, 'assets', 'app-1a2b.css'), 'body { margin: 0 }');
  await writeFile(join(root, 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  await writeFile(join(root, 'font.woff2'), Buffer.from([0x77, 0x4f, 0x46, 0x32]));
  await writeFile(join(root, 'notes.xyz'), 'unknown type');
  await writeFile(join(root, '.env'), 'SECRET=hidden');
  await writeFile(join(folder, 'secret.txt'), 'outside the build');
  await symlink(join(folder, 'secret.txt'), join(root, 'leak.txt'));
  ({ endpoint } = await rig.start({ staticRoot: root, dataDir: folder }));
});

afterEach(async () => {
  await rig.dispose();
});

describe('static files', () => {
  describe('GET /', () => {
    it('serves index.html without caching', async () => {
      const response = await rawRequest(endpoint, '/');

      expect(response.status).toBe(200);
      expect(response.body).toBe(INDEX);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.headers['content-length']).toBe(String(Buffer.byteLength(INDEX)));
    });

    it('needs no token', async () => {
      const withToken = await rawRequest(endpoint, `/?token=${endpoint.token}`);
      const withoutToken = await rawRequest(endpoint, '/');

      expect(withToken.status).toBe(200);
      expect(withoutToken.status).toBe(200);
      expect(withToken.body).not.toContain(endpoint.token);
    });

    it('sends the security headers', async () => {
      const { headers } = await rawRequest(endpoint, '/');

      expect(headers['content-security-policy']).toBe(CONTROL_UI_CSP);
      expect(headers['x-content-type-options']).toBe('nosniff');
      expect(headers['x-frame-options']).toBe('DENY');
      expect(headers['referrer-policy']).toBe('no-referrer');
    });
  });

  describe('assets', () => {
    it.each([
      ['/assets/app-1a2b.js', 'text/javascript; charset=utf-8'],
      ['/assets/app-1a2b.css', 'text/css; charset=utf-8'],
    ])('serves %s as %s and caches it for a year', async (path, type) => {
      const response = await rawRequest(endpoint, path);

      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe(type);
      expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    });

    it.each([
      ['/logo.svg', 'image/svg+xml'],
      ['/font.woff2', 'font/woff2'],
      ['/notes.xyz', 'application/octet-stream'],
    ])('serves %s as %s', async (path, type) => {
      const response = await rawRequest(endpoint, path);

      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe(type);
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    });

    it('serves a percent-encoded name', async () => {
      const response = await rawRequest(endpoint, '/assets/app%2D1a2b.js');

      expect(response.status).toBe(200);
      expect(response.body).toBe('console.log("owl");');
    });

    it('answers HEAD without a body', async () => {
      const response = await rawRequest(endpoint, '/assets/app-1a2b.js', 'HEAD');

      expect(response.status).toBe(200);
      expect(response.headers['content-length']).toBe('19');
      expect(response.body).toBe('');
    });
  });

  describe('missing files', () => {
    it('serves index.html for a client-side route', async () => {
      const response = await rawRequest(endpoint, '/printers/p-1');

      expect(response.status).toBe(200);
      expect(response.body).toBe(INDEX);
      expect(response.headers['cache-control']).toBe('no-cache');
    });

    it('answers 404 for a missing file with an extension', async () => {
      const response = await rawRequest(endpoint, '/assets/missing.js');

      expect(response.status).toBe(404);
      expect(response.body).toBe('Not found\n');
      expect(response.headers['content-security-policy']).toBe(CONTROL_UI_CSP);
    });

    it('serves index.html for a folder, never a listing', async () => {
      const response = await rawRequest(endpoint, '/assets/');

      expect(response.status).toBe(200);
      expect(response.body).toBe(INDEX);
    });
  });

  describe('traversal attempts', () => {
    it.each([
      '/../secret.txt',
      '/..%2fsecret.txt',
      '/..%2Fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/%2e%2e/secret.txt',
      '/%2e%2e%2fsecret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/..%5csecret.txt',
      '/..\\secret.txt',
      '/%2e%2e%5csecret.txt',
      '/secret.txt%00.html',
      '//secret.txt',
      '/assets/%252e%252e%252fsecret.txt',
    ])('never serves the outside file for %s', async (path) => {
      const response = await rawRequest(endpoint, path);

      expect(response.body).not.toContain('outside the build');
      expect([200, 400, 404]).toContain(response.status);
      if (response.status === 200) expect(response.body).toBe(INDEX);
    });

    it.each(['/..%2fsecret.txt', '/assets/..%2F..%2Fsecret.txt', '/..%5csecret.txt', '/a%00b'])(
      'answers %s with 400',
      async (path) => {
        const response = await rawRequest(endpoint, path);

        expect(response.status).toBe(400);
        expect(response.body).toMatch(/^Invalid path: /);
      },
    );

    it('answers a malformed percent-encoding with 400', async () => {
      const response = await rawRequest(endpoint, '/%E0%A4%A');

      expect(response.status).toBe(400);
      expect(response.body).toBe('Invalid path: the path is not valid percent-encoding\n');
    });

    it('answers 404 for a hidden file', async () => {
      const response = await rawRequest(endpoint, '/.env');

      expect(response.status).toBe(404);
      expect(response.body).not.toContain('SECRET');
    });

    it('ignores symbolic links leaving the folder', async () => {
      const response = await rawRequest(endpoint, '/leak.txt');

      expect(response.status).toBe(404);
      expect(response.body).not.toContain('outside the build');
    });

    it('answers 400 for a target that is not a path', async () => {
      const response = await rawRequest(endpoint, 'http://127.0.0.1/index.html');

      expect(response.status).toBe(400);
    });
  });

  describe('other methods', () => {
    it.each(['POST', 'PUT', 'DELETE'])('answers %s with 405', async (method) => {
      const response = await rawRequest(endpoint, '/', method);

      expect(response.status).toBe(405);
      expect(response.headers.allow).toBe('GET, HEAD');
    });
  });
});
