import { errorMessage } from '../../support/coded-error.js';
import type { Logger } from '../../support/logger.js';

export const DEEP_LINK_SCHEME = 'owl';

/** Links received before the service is ready are kept up to this many, newest last. */
const MAX_BUFFERED_LINKS = 10;

/** Whether `text` is an `owl://link?...` URL, the link callback from Owl Web. */
export function isLinkCallback(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const url = new URL(text);
  return url.protocol === `${DEEP_LINK_SCHEME}:` && url.hostname === 'link';
}

/**
 * The deep links in a command line. Windows and Linux start a second instance with the URL as an
 * argument; Chromium switches and the executable path never match.
 */
export function deepLinksInArgv(argv: readonly string[]): string[] {
  return argv.filter(isLinkCallback);
}

export type DeepLinkHandler = (url: string) => Promise<void>;

/**
 * Routes `owl://link` URLs to the service. URLs that arrive before the service is ready, as when
 * a link click starts the app, wait in a small buffer and are handled in order once it is.
 */
export class DeepLinkRouter {
  private handler: DeepLinkHandler | undefined;
  private readonly buffered: string[] = [];

  constructor(private readonly logger: Logger) {}

  /** Accepts a URL from any source; returns false for URLs that are not link callbacks. */
  receive(url: string): boolean {
    if (!isLinkCallback(url)) {
      this.logger.warn('Ignored a deep link that is not an owl://link URL');
      return false;
    }
    if (this.handler) {
      void this.dispatch(this.handler, url);
      return true;
    }
    if (this.buffered.includes(url)) return true;
    this.buffered.push(url);
    if (this.buffered.length > MAX_BUFFERED_LINKS) this.buffered.shift();
    return true;
  }

  /** Sets the handler and hands it every buffered URL. */
  async ready(handler: DeepLinkHandler): Promise<void> {
    this.handler = handler;
    for (const url of this.buffered.splice(0)) await this.dispatch(handler, url);
  }

  private async dispatch(handler: DeepLinkHandler, url: string): Promise<void> {
    try {
      await handler(url);
    } catch (error) {
      // The URL carries a one-time link code, so only the failure is logged.
      this.logger.error({ err: errorMessage(error) }, 'Completing a link from a deep link failed');
    }
  }
}
