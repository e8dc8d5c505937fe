import type { IncomingMessage, ServerResponse } from 'node:http';

import { describeClickToLink, type ClickToLinkReport } from '../service/click-to-link-report.js';
import { errorMessage } from '../support/coded-error.js';
import type { Logger } from '../support/logger.js';

/** Path of the loopback callback that the headless service gives Owl Web for click-to-link. */
export const LINK_CALLBACK_PATH = '/link/callback';

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/**
 * Serves the click-to-link callback in the headless service: the browser arrives here from Owl
 * Web's add-printer page with the codes and the one-time state, and the page says whether the
 * printers were linked. The state, not the token, protects this route: only a state the service
 * issued links anything.
 */
export function linkCallbackRoute(
  complete: (callbackUrl: string) => Promise<ClickToLinkReport>,
  origin: string,
  logger: Logger,
): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    const callbackUrl = `${origin}${request.url ?? ''}`;
    complete(callbackUrl).then(
      (report) => {
        sendPage(
          response,
          200,
          pageTitle(report),
          `${describeClickToLink(report)} You can close this tab.`,
        );
      },
      (error: unknown) => {
        logger.warn({ err: errorMessage(error) }, 'Click-to-link callback failed');
        sendPage(response, 400, 'Linking failed', errorMessage(error));
      },
    );
  };
}

function pageTitle(report: ClickToLinkReport): string {
  if (report.failed.length > 0) return 'Some printers not linked';
  return report.linked.length === 1 ? 'Printer linked' : 'Printers linked';
}

function sendPage(response: ServerResponse, status: number, title: string, text: string): void {
  const body =
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    `<title>${escapeHtml(title)}</title></head>` +
    '<body style="font-family: system-ui, sans-serif; margin: 3rem">' +
    `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></body></html>`;
  response.writeHead(status, PAGE_HEADERS);
  response.end(body);
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
