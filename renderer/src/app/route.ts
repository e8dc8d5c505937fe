/** A top-level page of the app, reachable from the navigation bar. */
export type Page = 'fleet' | 'discovery' | 'settings';

/** The view that the app shows, as stored in the location hash. */
export type Route = { page: Page } | { page: 'detail'; printerId: string };

export const FLEET_ROUTE: Route = { page: 'fleet' };

const PAGE_PATHS: Readonly<Record<Page, string>> = {
  fleet: '/printers',
  discovery: '/discovery',
  settings: '/settings',
};

const DETAIL_PREFIX = '/printers/';

/**
 * Parses a location hash such as `#/printers/p1`, the format the desktop shell sets to open a
 * printer. An empty or unknown hash, or a malformed printer id, yields the fleet view.
 */
export function parseRoute(hash: string): Route {
  const path = hash.startsWith('#') ? hash.slice(1) : hash;
  const page = pageOfPath(path);
  if (page) return { page };
  if (!path.startsWith(DETAIL_PREFIX)) return FLEET_ROUTE;
  const printerId = decodedSegment(path.slice(DETAIL_PREFIX.length));
  return printerId ? { page: 'detail', printerId } : FLEET_ROUTE;
}

/** Formats a route as a location hash, the inverse of `parseRoute`. */
export function routeHash(route: Route): string {
  if (route.page === 'detail') return `#${DETAIL_PREFIX}${encodeURIComponent(route.printerId)}`;
  return `#${PAGE_PATHS[route.page]}`;
}

function pageOfPath(path: string): Page | undefined {
  if (path === '' || path === '/') return 'fleet';
  const entries = Object.entries(PAGE_PATHS) as [Page, string][];
  return entries.find(([, pagePath]) => pagePath === path)?.[0];
}

/** Returns the decoded path segment, or undefined when it is empty, nested or badly encoded. */
function decodedSegment(segment: string): string | undefined {
  if (segment === '' || segment.includes('/')) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
