/**
 * Parses the target of an HTTP request in origin form (`/path?query`). Anything else, such as
 * the absolute form that proxies send or `*`, returns null. A target starting with `//` stays a
 * path here instead of turning into a host name, as it would if parsed relative to a base URL.
 */
export function parseRequestTarget(target: string | undefined): URL | null {
  if (target === undefined || !target.startsWith('/')) return null;
  try {
    return new URL(`http://127.0.0.1${target}`);
  } catch {
    return null;
  }
}
