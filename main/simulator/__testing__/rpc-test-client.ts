import WebSocket from 'ws';

/** A JSON-RPC message received by the test client. */
export type RpcMessage = Record<string, unknown> & {
  method?: string;
  params?: unknown[];
  id?: number;
};

/** The `error` member of a failed JSON-RPC response. */
export interface RpcFailure {
  readonly code: number;
  readonly message: string;
}

/** Maximum wait for an expected message, so that a test fails instead of hanging. */
const WAIT_LIMIT_MS = 10_000;

interface Waiter {
  readonly predicate: (message: RpcMessage) => boolean;
  readonly resolve: (message: RpcMessage) => void;
}

/**
 * A plain `ws` client for simulator tests: it records every message it receives, sends requests,
 * and waits for messages by event, never by sleeping.
 */
export class RpcTestClient {
  readonly received: RpcMessage[] = [];
  private readonly waiters = new Set<Waiter>();
  private nextId = 1;
  private readonly closed: Promise<void>;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => this.receive(JSON.parse(String(data)) as RpcMessage));
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  static async connect(
    baseUrl: string,
    headers: Record<string, string> = {},
  ): Promise<RpcTestClient> {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/websocket`, { headers });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new RpcTestClient(socket);
  }

  get isClosed(): boolean {
    return this.socket.readyState === WebSocket.CLOSED;
  }

  /** Sends a request and returns the whole response, result or error. */
  async call(method: string, params?: Record<string, unknown>): Promise<RpcMessage> {
    const id = this.nextId++;
    this.sendText(JSON.stringify({ jsonrpc: '2.0', method, id, ...(params ? { params } : {}) }));
    return this.waitFor((message) => message.id === id && !('method' in message));
  }

  /** Sends a request and returns its result, or throws the JSON-RPC error. */
  async request(method: string, params?: Record<string, unknown>): Promise<unknown> {
    const response = await this.call(method, params);
    if ('error' in response) throw response['error'] as RpcFailure;
    return response['result'];
  }

  sendText(text: string): void {
    this.socket.send(text);
  }

  notifications(method?: string): RpcMessage[] {
    return this.received.filter(
      (message) => 'method' in message && (method === undefined || message.method === method),
    );
  }

  /** Resolves with the first received message, past or future, that matches. */
  waitFor(predicate: (message: RpcMessage) => boolean, after = 0): Promise<RpcMessage> {
    const existing = this.received.slice(after).find(predicate);
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const guard = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`Timed out after ${WAIT_LIMIT_MS} ms waiting for a message`));
      }, WAIT_LIMIT_MS);
      const waiter: Waiter = {
        predicate,
        resolve: (message) => {
          clearTimeout(guard);
          resolve(message);
        },
      };
      this.waiters.add(waiter);
    });
  }

  /** Resolves once `count` notifications of `method` have arrived. */
  async waitForCount(method: string, count: number): Promise<RpcMessage[]> {
    while (this.notifications(method).length < count) {
      const seen = this.received.length;
      await this.waitFor((message) => message.method === method, seen);
    }
    return this.notifications(method);
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.close();
    await this.closed;
  }

  /** Resolves when the server has closed the connection. */
  whenClosed(): Promise<void> {
    return this.closed;
  }

  private receive(message: RpcMessage): void {
    this.received.push(message);
    for (const waiter of [...this.waiters]) {
      if (!waiter.predicate(message)) continue;
      this.waiters.delete(waiter);
      waiter.resolve(message);
    }
  }
}

/** Returns the `[changes, eventtime]` payload of a `notify_status_update`. */
export function statusChanges(message: RpcMessage): Record<string, Record<string, unknown>> {
  const [changes] = (message.params ?? []) as [Record<string, Record<string, unknown>>?];
  return changes ?? {};
}
