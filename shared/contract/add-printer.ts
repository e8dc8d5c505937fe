/**
 * The exchange between the app and Owl Web's add-printer page in click-to-link.
 *
 * The app opens `{webUrl}/printers/add` in the system browser with these query parameters:
 * - `state`: a one-time value minted by the app. The page treats it as opaque and returns it
 *   unchanged.
 * - `callback`: where the page sends the browser afterwards. It is `owl://link` (the deep link
 *   that the desktop app registers) or `http://127.0.0.1:<port>/link/callback` (a loopback page
 *   of the headless service, for browsers that cannot open `owl://`). The page rejects any other
 *   value, so it cannot serve as an open redirect.
 * - `count`: how many printers to add, from 1 to `MAX_LINK_PRINTERS`. One link code links one
 *   device and is single use, so the page returns exactly `count` codes.
 * - `name`: a printer's display name, repeated once per printer in order. Names are hints for the
 *   page and may be missing or fewer than `count`.
 *
 * The page then redirects (303 See Other) to the callback with:
 * - `code`: one link code per printer, repeated `count` times, in the order of the printers.
 * - `state`: the value the app sent.
 * For example `owl://link?code=AB12CD&code=EF34GH&state=…`.
 */

export const ADD_PRINTER_PATH = '/printers/add';

export const ADD_PRINTER_QUERY = {
  state: 'state',
  callback: 'callback',
  count: 'count',
  name: 'name',
} as const;

export const LINK_CALLBACK_QUERY = { code: 'code', state: 'state' } as const;

/** The deep link of the desktop app. */
export const DEEP_LINK_CALLBACK = 'owl://link';

/** Path of the loopback callback page that the headless service serves. */
export const LOOPBACK_CALLBACK_PATH = '/link/callback';

/**
 * Printers per click-to-link action. Each code may take up to `MAX_LINK_CODE_LENGTH` characters,
 * so 50 codes and the state fit in a callback URL of `MAX_CALLBACK_URL_LENGTH` characters.
 */
export const MAX_LINK_PRINTERS = 50;

export const MAX_LINK_CODE_LENGTH = 64;

export const MAX_CALLBACK_URL_LENGTH = 4096;

export const MAX_PRINTER_NAME_LENGTH = 64;

/** A state is base64url text. 22 characters carry 132 bits, the least that is accepted. */
export const LINK_STATE_PATTERN = /^[A-Za-z0-9_-]{22,128}$/;

/** A link code is printable ASCII without spaces, because Owl Web shows it for typing in. */
export const LINK_CODE_PATTERN = /^[\x21-\x7e]{1,64}$/;

/**
 * The only loopback host of a callback. `localhost` may resolve to another address, and a
 * Content-Security-Policy source cannot name an IPv6 literal such as `[::1]`.
 */
const LOOPBACK_HOST = '127.0.0.1';

/**
 * Checks a `callback` value and returns it in canonical form, or undefined when it is neither the
 * deep link nor a loopback callback URL. A loopback URL must name an explicit port and carry no
 * user, query or fragment.
 */
export function canonicalLinkCallback(callback: string): string | undefined {
  if (callback === DEEP_LINK_CALLBACK) return DEEP_LINK_CALLBACK;

  let url: URL;
  try {
    url = new URL(callback);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' || url.hostname !== LOOPBACK_HOST) return undefined;
  if (url.port === '' || url.username !== '' || url.password !== '') return undefined;
  if (url.pathname !== LOOPBACK_CALLBACK_PATH || url.search !== '' || url.hash !== '') {
    return undefined;
  }
  return `http://${url.host}${LOOPBACK_CALLBACK_PATH}`;
}
