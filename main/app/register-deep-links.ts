import { app } from 'electron';

import { toDisposable, type Disposable } from '../support/disposable.js';
import {
  DEEP_LINK_SCHEME,
  deepLinksInArgv,
  type DeepLinkRouter,
} from './logic/deep-link-router.js';

/**
 * Makes the app the `owl:` handler and feeds every link to the router: from the command line of
 * this and of a second instance (Windows, Linux) and from `open-url` (macOS). Call before `ready`
 * so a link that launched the app on macOS is not missed.
 */
export function registerDeepLinks(
  router: DeepLinkRouter,
  onSecondInstance: () => void,
): Disposable {
  registerProtocolClient();
  for (const url of deepLinksInArgv(process.argv)) router.receive(url);

  const onOpenUrl = (event: Electron.Event, url: string) => {
    event.preventDefault();
    router.receive(url);
  };
  const onSecond = (_event: Electron.Event, argv: string[]) => {
    onSecondInstance();
    for (const url of deepLinksInArgv(argv)) router.receive(url);
  };
  app.on('open-url', onOpenUrl);
  app.on('second-instance', onSecond);
  return toDisposable(() => {
    app.off('open-url', onOpenUrl);
    app.off('second-instance', onSecond);
  });
}

/** In development Electron runs as `electron path/to/app`, so the app path must be passed on. */
function registerProtocolClient(): void {
  if (process.defaultApp && process.argv[1]) {
    app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME, process.execPath, [process.argv[1]]);
    return;
  }
  app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME);
}
