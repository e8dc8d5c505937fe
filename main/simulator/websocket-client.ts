import { WebSocket } from 'ws';
import { StatusSubscription } from './status-subscription.js';

/**
 * One connection to `/websocket`. A connection opened without a valid API key while one is
 * required stays unauthenticated until `server.connection.identify` passes the key.
 */
export class WebsocketClient {
  readonly subscription = new StatusSubscription();
  identified = false;
  /** Set once the response to this connection's first subscribe has been sent. */
  subscribed = false;

  constructor(
    private readonly socket: WebSocket,
    readonly id: number,
    /** The number `server.connection.identify` returns. */
    readonly connectionId: number,
    public authenticated: boolean,
  ) {}

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  /** Sends a text frame; returns false when the socket is no longer open. */
  send(text: string): boolean {
    if (!this.isOpen) return false;
    this.socket.send(text);
    return true;
  }
}
