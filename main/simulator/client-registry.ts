import type { WebSocket } from 'ws';
import type { Clock } from '../support/clock.js';
import type { ListenerSet } from '../support/listener-set.js';
import { notificationText } from './json-rpc.js';
import type { StatusObjects } from './object-status.js';
import type { ClientHub, ReplayFinished, SentFrame } from './printer-backend.js';
import type { StatusSubscription } from './status-subscription.js';
import { WebsocketClient } from './websocket-client.js';

/** First number handed out as a connection id; Moonraker's ids are large integers too. */
const CONNECTION_ID_BASE = 140_000_000_000;

/** The open websocket clients, and the notifications sent to them. */
export class ClientRegistry implements ClientHub {
  private readonly clients = new Map<number, WebsocketClient>();
  private nextId = 1;

  constructor(
    private readonly clock: Clock,
    private readonly frames: ListenerSet<[SentFrame]>,
    private readonly replays: ListenerSet<[ReplayFinished]>,
  ) {}

  get count(): number {
    return this.clients.size;
  }

  add(socket: WebSocket, authenticated: boolean): WebsocketClient {
    const id = this.nextId++;
    const client = new WebsocketClient(socket, id, CONNECTION_ID_BASE + id, authenticated);
    this.clients.set(id, client);
    return client;
  }

  remove(id: number): void {
    this.clients.delete(id);
  }

  get(id: number): WebsocketClient | undefined {
    return this.clients.get(id);
  }

  broadcast(method: string, params?: readonly unknown[]): void {
    const text = notificationText(method, params);
    for (const client of this.clients.values()) {
      if (client.authenticated) this.deliver(client, method, text);
    }
  }

  sendText(clientId: number, method: string, text: string, recordingLine?: number): boolean {
    const client = this.clients.get(clientId);
    if (!client?.authenticated) return false;
    return this.deliver(client, method, text, recordingLine);
  }

  pushStatus(status: StatusObjects, eventtime: number): void {
    for (const client of this.clients.values()) {
      if (!client.authenticated || client.subscription.isEmpty) continue;
      const changes = client.subscription.takeChanges(status);
      if (!changes) continue;
      this.deliver(client, 'notify_status_update', statusText(changes, eventtime));
    }
  }

  subscription(clientId: number): StatusSubscription | undefined {
    return this.clients.get(clientId)?.subscription;
  }

  clearSubscriptions(clientId?: number): void {
    if (clientId !== undefined) {
      this.clients.get(clientId)?.subscription.clear();
      return;
    }
    for (const client of this.clients.values()) client.subscription.clear();
  }

  replayFinished(event: ReplayFinished): void {
    this.replays.emit(event);
  }

  private deliver(client: WebsocketClient, method: string, text: string, line?: number): boolean {
    if (!client.send(text)) return false;
    const frame: SentFrame = {
      clientId: client.id,
      method,
      sentAt: this.clock.monotonic(),
      text,
      ...(line === undefined ? {} : { recordingLine: line }),
    };
    this.frames.emit(frame);
    return true;
  }
}

/** Serializes a `notify_status_update` the way Moonraker sends it: `[changes, eventtime]`. */
export function statusText(changes: Record<string, unknown>, eventtime: number): string {
  return notificationText('notify_status_update', [changes, eventtime]);
}
