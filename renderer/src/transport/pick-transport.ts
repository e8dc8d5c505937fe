import { sessionFromPageUrl } from '../../../shared/control-api/control-session.js';
import { CONTROL_TOKEN_QUERY } from '../../../shared/control-api/protocol.js';
import { OwlDesktopShell, type DesktopShell } from '../desktop/desktop-shell.js';
import type { ControlTransport } from './control-transport.js';
import { OwlBridgeTransport } from './owl-bridge.js';
import { WebSocketTransport } from './websocket-transport.js';

export type TransportChoice =
  | {
      kind: 'ready';
      transport: ControlTransport;
      /** The desktop shell's own methods; null in a browser, where the headless service runs. */
      desktop: DesktopShell | null;
      connect: () => Promise<void>;
    }
  | { kind: 'missing-token' };

/**
 * Chooses the preload's `window.owl` inside Electron, else the WebSocket session in the page
 * address. The token is removed from the address bar and history once read, so that it does not
 * stay visible or end up in a bookmark.
 */
export function pickTransport(win: Window): TransportChoice {
  if (win.owl) {
    return {
      kind: 'ready',
      transport: new OwlBridgeTransport(win.owl),
      desktop: new OwlDesktopShell(win.owl),
      connect: async () => {},
    };
  }
  const session = sessionFromPageUrl(win.location.href);
  if (!session) return { kind: 'missing-token' };

  const url = new URL(win.location.href);
  url.searchParams.delete(CONTROL_TOKEN_QUERY);
  win.history.replaceState(null, '', url.pathname + url.search + url.hash);
  const transport = new WebSocketTransport(session);
  return { kind: 'ready', transport, desktop: null, connect: () => transport.connect() };
}
