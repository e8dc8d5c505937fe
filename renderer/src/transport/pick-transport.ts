import { ControlError } from '../../../shared/control-api/control-error.js';
import { controlSocketUrl } from '../../../shared/control-api/control-session.js';
import { CONTROL_TOKEN_QUERY } from '../../../shared/control-api/protocol.js';
import { OwlDesktopShell, type DesktopShell } from '../desktop/desktop-shell.js';
import type { ControlTransport } from './control-transport.js';
import { OwlBridgeTransport } from './owl-bridge.js';
import { isTokenRejected } from './token-check.js';
import { WebSocketTransport, type WebSocketTransportOptions } from './websocket-transport.js';

/** Key of the control token in the tab's `sessionStorage`. */
export const TOKEN_STORAGE_KEY = 'moonraker-owl.control-token';

export type TransportChoice =
  | {
      kind: 'ready';
      transport: ControlTransport;
      /** The desktop shell's own methods; null in a browser, where the headless service runs. */
      desktop: DesktopShell | null;
      /**
       * Connects the transport. Rejects with `unauthorized` when the service rejected the
       * token, and with the transport's `disconnected` error for any other failure.
       */
      connect: () => Promise<void>;
    }
  | { kind: 'missing-token' };

/** Seams for tests: the socket and timers of the WebSocket transport, and `fetch`. */
export interface PickTransportOptions {
  socket?: WebSocketTransportOptions;
  fetch?: typeof fetch;
}

/** The part of `window` that picking a transport uses. */
export type TransportWindow = Pick<Window, 'owl' | 'location' | 'history' | 'sessionStorage'>;

/**
 * Chooses the preload's `window.owl` inside Electron, else the WebSocket session of the page.
 * The token is moved from the address to the tab's `sessionStorage`, so that it does not stay
 * visible or end up in a bookmark, and a reload of the tab still finds it.
 */
export function pickTransport(
  win: TransportWindow,
  options: PickTransportOptions = {},
): TransportChoice {
  if (win.owl) {
    return {
      kind: 'ready',
      transport: new OwlBridgeTransport(win.owl),
      desktop: new OwlDesktopShell(win.owl),
      connect: async () => {},
    };
  }
  const token = takeToken(win);
  if (!token) return { kind: 'missing-token' };

  const origin = win.location.origin;
  const session = { socketUrl: controlSocketUrl(origin), token };
  const transport = new WebSocketTransport(session, undefined, options.socket);
  const fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  const connect = async (): Promise<void> => {
    try {
      await transport.connect();
    } catch (error) {
      if (!(await isTokenRejected(origin, token, fetchImpl))) throw error;
      forgetToken(win);
      transport.close();
      throw new ControlError('unauthorized', 'The service rejected the control token');
    }
  };
  return { kind: 'ready', transport, desktop: null, connect };
}

/** Returns whether a failed `connect` means that the service rejected the token. */
export function isTokenRejection(error: unknown): boolean {
  return error instanceof ControlError && error.code === 'unauthorized';
}

/**
 * Returns the token from the page address, storing it for the tab and removing it from the
 * address, else the token stored by an earlier load of this tab.
 */
function takeToken(win: TransportWindow): string | undefined {
  const url = new URL(win.location.href);
  const fromAddress = url.searchParams.get(CONTROL_TOKEN_QUERY);
  if (!fromAddress) return readStoredToken(win);

  try {
    win.sessionStorage.setItem(TOKEN_STORAGE_KEY, fromAddress);
  } catch {
    // Storage can be switched off; then only this load of the page has the token.
  }
  url.searchParams.delete(CONTROL_TOKEN_QUERY);
  win.history.replaceState(null, '', url.pathname + url.search + url.hash);
  return fromAddress;
}

function readStoredToken(win: TransportWindow): string | undefined {
  try {
    return win.sessionStorage.getItem(TOKEN_STORAGE_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

function forgetToken(win: TransportWindow): void {
  try {
    win.sessionStorage.removeItem(TOKEN_STORAGE_KEY);
  } catch {
    // Nothing was stored when storage is switched off.
  }
}
