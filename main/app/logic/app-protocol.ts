import { extname, join, normalize, sep } from 'node:path';

/** The app's own scheme: pages load from `app://owl/`, never from `file:` or the network. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'owl';
export const APP_PAGE_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * The page may load only its own files, connect nowhere and embed nothing. Inline styles are
 * allowed because React and uPlot set `style` attributes.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/**
 * The file under `root` that an `app://owl/...` request names, or undefined for another host or a
 * path that leaves `root` (such as `/../../etc/passwd` after decoding).
 */
export function resolveAppAsset(root: string, requestUrl: string): string | undefined {
  if (!URL.canParse(requestUrl)) return undefined;
  const url = new URL(requestUrl);
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return undefined;

  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return undefined;
  }
  if (pathname.includes('\0')) return undefined;
  const relative = pathname === '/' ? 'index.html' : pathname;
  const resolved = normalize(join(root, relative));
  const base = normalize(root.endsWith(sep) ? root : `${root}${sep}`);
  return resolved.startsWith(base) ? resolved : undefined;
}

export function contentTypeOf(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}
