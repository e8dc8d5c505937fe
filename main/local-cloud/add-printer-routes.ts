import type { IncomingMessage } from 'node:http';
import {
  ADD_PRINTER_PATH,
  ADD_PRINTER_QUERY,
  LINK_CALLBACK_QUERY,
  MAX_LINK_PRINTERS,
  MAX_PRINTER_NAME_LENGTH,
  canonicalLinkCallback,
} from '../../shared/contract/add-printer.js';
import type { Logger } from '../support/logger.js';
import { addPrinterPageHeaders, renderAddPrinterPage } from './add-printer-page.js';
import { HttpError, readFormBody } from './http-io.js';
import type { LinkCodeBook } from './link-codes.js';
import type { Route, RouteResult } from './route.js';

export interface AddPrinterRouteContext {
  linkCodes: LinkCodeBook;
  logger: Logger;
}

/** The page treats the state as opaque, as Owl Web does, but bounds its length. */
const MAX_STATE_LENGTH = 512;

const FORM_BODY_LIMIT = 4096;

interface AddPrinterRequest {
  state: string;
  callback: string;
  count: number;
}

/**
 * Builds the routes of the local cloud's stand-in for Owl Web's add-printer page. GET shows an
 * "Add printer" button. Its form POST mints one link code per printer, accepted at once, and
 * redirects the browser to the callback with the codes and the state. The page needs no operator
 * token, because pressing the button plays the signed-in user of Owl Web.
 */
export function addPrinterRoutes(context: AddPrinterRouteContext): Route[] {
  const pattern = new RegExp(`^${ADD_PRINTER_PATH}$`);
  return [
    {
      method: 'GET',
      pattern,
      operator: false,
      handle: (request) => Promise.resolve(showPage(request)),
    },
    {
      method: 'POST',
      pattern,
      operator: false,
      handle: (request) => addPrinters(context, request),
    },
  ];
}

function showPage(request: IncomingMessage): RouteResult {
  const query = new URL(request.url ?? '/', 'http://local').searchParams;
  const parsed = parseAddPrinterRequest(query);
  const names = query
    .getAll(ADD_PRINTER_QUERY.name)
    .slice(0, parsed.count)
    .map((name) => name.slice(0, MAX_PRINTER_NAME_LENGTH));
  return {
    status: 200,
    html: renderAddPrinterPage({ ...parsed, names }),
    headers: addPrinterPageHeaders(parsed.callback),
  };
}

async function addPrinters(
  context: AddPrinterRouteContext,
  request: IncomingMessage,
): Promise<RouteResult> {
  checkSameOrigin(request);
  const parsed = parseAddPrinterRequest(await readFormBody(request, FORM_BODY_LIMIT));
  const codes = Array.from({ length: parsed.count }, () => context.linkCodes.mint().code);
  context.logger.info({ count: parsed.count }, 'add-printer page minted link codes');

  const query = [
    ...codes.map((code) => `${LINK_CALLBACK_QUERY.code}=${encodeURIComponent(code)}`),
    `${LINK_CALLBACK_QUERY.state}=${encodeURIComponent(parsed.state)}`,
  ].join('&');
  return {
    status: 303,
    headers: {
      location: `${parsed.callback}?${query}`,
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
    },
  };
}

/**
 * Rejects a form post from another site. Chromium sends `Origin` with a form post (checked with
 * version 156), and it must match the host that served the page. A post without the header, as
 * from curl or Node's fetch, passes.
 */
function checkSameOrigin(request: IncomingMessage): void {
  const origin = request.headers.origin;
  if (origin === undefined) return;
  if (origin === `http://${request.headers.host ?? ''}`) return;
  throw new HttpError(403, 'forbidden_origin', `Form posts from ${origin} are not accepted`);
}

function parseAddPrinterRequest(query: URLSearchParams): AddPrinterRequest {
  const state = query.get(ADD_PRINTER_QUERY.state) ?? '';
  if (state === '') throw badRequest('invalid_state', 'The state parameter is missing');
  if (state.length > MAX_STATE_LENGTH) {
    throw badRequest('invalid_state', `The state parameter exceeds ${MAX_STATE_LENGTH} characters`);
  }

  const callback = canonicalLinkCallback(query.get(ADD_PRINTER_QUERY.callback) ?? '');
  if (callback === undefined) {
    throw badRequest(
      'invalid_callback',
      'The callback parameter must be owl://link or http://127.0.0.1:<port>/link/callback',
    );
  }
  return { state, callback, count: parseCount(query.get(ADD_PRINTER_QUERY.count)) };
}

function parseCount(text: string | null): number {
  if (text === null) return 1;
  const count = /^\d{1,3}$/.test(text) ? Number(text) : Number.NaN;
  if (count >= 1 && count <= MAX_LINK_PRINTERS) return count;
  throw badRequest(
    'invalid_count',
    `The count parameter must be a whole number from 1 to ${MAX_LINK_PRINTERS}`,
  );
}

function badRequest(code: string, message: string): HttpError {
  return new HttpError(400, code, message);
}
