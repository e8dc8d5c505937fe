import {
  ADD_PRINTER_PATH,
  ADD_PRINTER_QUERY,
  LINK_CALLBACK_QUERY,
  LINK_CODE_PATTERN,
  LINK_STATE_PATTERN,
  LOOPBACK_CALLBACK_PATH,
  MAX_CALLBACK_URL_LENGTH,
  MAX_LINK_CODE_LENGTH,
  MAX_LINK_PRINTERS,
  MAX_PRINTER_NAME_LENGTH,
  canonicalLinkCallback,
} from '../../../shared/contract/add-printer.js';
import { linkingError, type LinkingError } from './linking-errors.js';

/**
 * Maximum length of an add-printer URL that carries printer names. The URL passes through the
 * operating system's URL handler, so names that do not fit are left out and only `count` remains.
 * NOTE: 2000 characters is a conservative estimate of what every handler passes on unchanged,
 * not a measured limit.
 */
export const MAX_ADD_PRINTER_URL_LENGTH = 2000;

export interface AddPrinterPageRequest {
  state: string;
  /** `owl://link`, or a loopback callback URL of the headless service. */
  callback: string;
  /** The printers to add, in the order their codes must come back. */
  printers: readonly { name: string }[];
}

/** Link codes and state returned by the add-printer page, one code per printer in order. */
export interface LinkCallback {
  state: string;
  codes: readonly string[];
  /** The first code, which is the only one when a single printer asked. */
  code: string;
}

/**
 * Builds the URL of Owl Web's add-printer page, such as
 * `https://owl.example.com/printers/add?state=…&callback=owl%3A%2F%2Flink&count=1&name=Voron`.
 * Throws `invalid_arguments` for a web URL that is not http(s), a callback that is neither the
 * deep link nor a loopback URL, a malformed state or a printer count outside 1 to 50.
 */
export function buildAddPrinterUrl(webUrl: string, request: AddPrinterPageRequest): string {
  const base = parseWebUrl(webUrl);
  const callback = canonicalLinkCallback(request.callback);
  if (callback === undefined) throw invalid(`Link callback ${request.callback} is not allowed`);
  if (!LINK_STATE_PATTERN.test(request.state)) throw invalid('Link state has an invalid format');
  const count = request.printers.length;
  if (count < 1 || count > MAX_LINK_PRINTERS) {
    throw invalid(`Choose between 1 and ${MAX_LINK_PRINTERS} printers; ${count} were chosen`);
  }

  base.pathname = `${base.pathname.replace(/\/+$/, '')}${ADD_PRINTER_PATH}`;
  const query = base.searchParams;
  query.set(ADD_PRINTER_QUERY.state, request.state);
  query.set(ADD_PRINTER_QUERY.callback, callback);
  query.set(ADD_PRINTER_QUERY.count, String(count));
  return appendNames(base, request.printers);
}

function parseWebUrl(webUrl: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(webUrl.trim());
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') {
    throw invalid(`Owl Web URL "${webUrl}" is not an http(s) URL; set it in the cloud settings`);
  }
  url.search = '';
  url.hash = '';
  return url;
}

function appendNames(url: URL, printers: readonly { name: string }[]): string {
  let fitting = url.toString();
  for (const printer of printers) {
    const name = printer.name.trim().slice(0, MAX_PRINTER_NAME_LENGTH);
    url.searchParams.append(ADD_PRINTER_QUERY.name, name);
    const candidate = url.toString();
    if (candidate.length > MAX_ADD_PRINTER_URL_LENGTH) break;
    fitting = candidate;
  }
  return fitting;
}

/**
 * Reads the callback URL that the add-printer page redirected to. It accepts the forms that the
 * operating systems deliver: `owl://link?…`, `owl://link/?…` with the slash some browsers add,
 * `owl:link?…`, a URL that arrives percent-encoded as a whole, and the loopback callback of the
 * headless service. Throws `invalid_arguments` for anything else. The message never contains
 * the codes, which are secrets until used.
 */
export function parseLinkCallback(callbackUrl: string): LinkCallback {
  const url = parseCallbackUrl(callbackUrl);
  const query = url.searchParams;
  const states = query.getAll(LINK_CALLBACK_QUERY.state);
  const codes = query.getAll(LINK_CALLBACK_QUERY.code).map((code) => code.trim());

  if (states.length !== 1) {
    throw invalid(`Link callback must carry exactly one state parameter, not ${states.length}`);
  }
  const state = states[0] ?? '';
  if (!LINK_STATE_PATTERN.test(state)) throw invalid('Link callback has a malformed state');
  const code = codes[0];
  if (code === undefined) throw invalid('Link callback is missing the code parameter');
  if (codes.length > MAX_LINK_PRINTERS) {
    throw invalid(`Link callback carries ${codes.length} codes; at most ${MAX_LINK_PRINTERS}`);
  }
  codes.forEach(checkCode);
  return { state, codes: Object.freeze(codes), code };
}

function parseCallbackUrl(callbackUrl: string): URL {
  let text = callbackUrl.trim();
  if (text.length > MAX_CALLBACK_URL_LENGTH) {
    throw invalid(`Link callback URL exceeds ${MAX_CALLBACK_URL_LENGTH} characters`);
  }
  if (/^owl%3a/i.test(text)) text = decodeWhole(text);

  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid('Link callback is not a URL; expected owl://link?code=…&state=…');
  }
  if (url.protocol === 'owl:' && isDeepLinkTarget(url)) return url;
  if (url.protocol === 'http:' && isLoopbackCallback(url)) return url;
  throw invalid(
    `Link callback must be owl://link or http://127.0.0.1:<port>${LOOPBACK_CALLBACK_PATH}, not ${url.protocol}//${url.host}${url.pathname}`,
  );
}

function decodeWhole(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw invalid('Link callback URL has invalid percent-encoding');
  }
}

/** `owl://link` parses with host `link`; `owl:link` and `owl:///link` parse with an empty host. */
function isDeepLinkTarget(url: URL): boolean {
  if (url.username !== '' || url.password !== '') return false;
  const host = url.host.toLowerCase();
  const path = url.pathname.toLowerCase();
  if (host === 'link') return path === '' || path === '/';
  return host === '' && /^\/?link\/?$/.test(path);
}

function isLoopbackCallback(url: URL): boolean {
  const path = url.pathname.replace(/\/$/, '');
  return canonicalLinkCallback(`${url.protocol}//${url.host}${path}`) !== undefined;
}

function checkCode(code: string, index: number): void {
  const position = `Link code ${index + 1}`;
  if (code === '') throw invalid(`${position} in the link callback is empty`);
  if (code.length > MAX_LINK_CODE_LENGTH) {
    throw invalid(`${position} in the link callback exceeds ${MAX_LINK_CODE_LENGTH} characters`);
  }
  if (!LINK_CODE_PATTERN.test(code)) {
    throw invalid(`${position} in the link callback contains spaces or control characters`);
  }
}

function invalid(message: string): LinkingError {
  return linkingError('invalid_arguments', message);
}
