import { useCallback, useEffect, useState } from 'react';

import { parseRoute, routeHash, type Route } from './route.js';

/**
 * Keeps the current route in `location.hash`: it reads the hash at start and on every
 * `hashchange`, so the desktop shell can open a printer and back/forward work. `navigate` pushes
 * a history entry, and `replace` swaps the current one, for a route that turned out invalid.
 */
export function useHashRoute() {
  const [route, setRoute] = useState<Route>(() => parseRoute(window.location.hash));

  useEffect(() => {
    const follow = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', follow);
    follow();
    return () => window.removeEventListener('hashchange', follow);
  }, []);

  const navigate = useCallback((next: Route) => {
    setRoute(next);
    const hash = routeHash(next);
    if (window.location.hash !== hash) window.location.hash = hash;
  }, []);

  const replace = useCallback((next: Route) => {
    setRoute(next);
    window.history.replaceState(window.history.state, '', routeHash(next));
  }, []);

  return { route, navigate, replace };
}
