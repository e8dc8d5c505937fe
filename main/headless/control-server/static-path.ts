import { isAbsolute, join, relative, sep } from 'node:path';

import { parseRequestTarget } from './request-target.js';

/** Result of mapping a request path onto the static folder. */
export type StaticPath =
  | { kind: 'file'; path: string; segments: readonly string[] }
  | { kind: 'invalid'; reason: string }
  | { kind: 'hidden' };

/**
 * Maps the path of a request URL onto the static folder. The URL parser removes plain and
 * `%2e%2e` dot segments first, and the path is then percent-decoded exactly once. Decoding can
 * still produce dot segments (`..%2f`), backslashes or NUL bytes, so those are rejected here
 * before the path reaches the file system. Segments that start with a dot name hidden files.
 */
export function resolveStaticPath(root: string, requestUrl: string | undefined): StaticPath {
  const target = parseRequestTarget(requestUrl);
  if (!target) return { kind: 'invalid', reason: 'the request target is not a path' };
  let decoded: string;
  try {
    decoded = decodeURIComponent(target.pathname);
  } catch {
    return { kind: 'invalid', reason: 'the path is not valid percent-encoding' };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) {
    return { kind: 'invalid', reason: 'the path contains a NUL byte or a backslash' };
  }

  const segments = decoded.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment === '..' || segment === '.')) {
    return { kind: 'invalid', reason: 'the path contains a dot segment' };
  }
  if (segments.some((segment) => segment.startsWith('.'))) return { kind: 'hidden' };

  const path = join(root, ...segments);
  if (!isInside(root, path)) return { kind: 'invalid', reason: 'the path leaves the folder' };
  return { kind: 'file', path, segments };
}

/** Checks whether `path` is `root` itself or lies below it. */
export function isInside(root: string, path: string): boolean {
  const rest = relative(root, path);
  return rest === '' || (rest !== '..' && !rest.startsWith(`..${sep}`) && !isAbsolute(rest));
}
