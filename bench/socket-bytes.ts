import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { Socket } from 'node:net';

export interface ByteCounts {
  sent: number;
  received: number;
}

export interface SocketTraffic {
  /** TCP client sockets to the watched port: the MQTT connections to the broker. */
  watched: ByteCounts;
  /** Every other TCP client socket: Moonraker websockets and HTTP, the cloud's HTTP API. */
  other: ByteCounts;
}

type SocketClass = keyof SocketTraffic;

/** Node publishes every new TCP or IPC client socket on this diagnostics channel. */
const CLIENT_SOCKET_CHANNEL = 'net.client.socket';

/**
 * Counts the bytes of every TCP client socket this process opens, as Node counts them on the
 * socket: application bytes written and read, without TCP/IP headers. Sockets are classed by
 * their remote port once connected, and closed sockets keep counting in the totals.
 */
export class SocketByteCounter {
  private readonly open = new Map<Socket, SocketClass>();
  private readonly closed: SocketTraffic = { watched: zero(), other: zero() };
  private readonly listener = (message: unknown): void => this.track(message);

  constructor(private readonly watchedPort: number) {
    subscribe(CLIENT_SOCKET_CHANNEL, this.listener);
  }

  /** Totals since this counter was created. */
  totals(): SocketTraffic {
    const totals: SocketTraffic = {
      watched: { ...this.closed.watched },
      other: { ...this.closed.other },
    };
    for (const [socket, socketClass] of this.open) add(totals[socketClass], socket);
    return totals;
  }

  dispose(): void {
    unsubscribe(CLIENT_SOCKET_CHANNEL, this.listener);
  }

  private track(message: unknown): void {
    const socket = socketOf(message);
    if (!socket) return;
    socket.once('connect', () => {
      this.open.set(socket, socket.remotePort === this.watchedPort ? 'watched' : 'other');
    });
    socket.once('close', () => {
      const socketClass = this.open.get(socket);
      if (!socketClass) return;
      this.open.delete(socket);
      add(this.closed[socketClass], socket);
    });
  }
}

function socketOf(message: unknown): Socket | undefined {
  if (typeof message !== 'object' || message === null || !('socket' in message)) return undefined;
  const socket = (message as { socket: unknown }).socket;
  return typeof socket === 'object' && socket !== null ? (socket as Socket) : undefined;
}

function add(counts: ByteCounts, socket: Socket): void {
  counts.sent += socket.bytesWritten;
  counts.received += socket.bytesRead;
}

function zero(): ByteCounts {
  return { sent: 0, received: 0 };
}
