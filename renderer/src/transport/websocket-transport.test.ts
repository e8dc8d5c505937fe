import { afterEach, describe, expect, it } from 'vitest';

import { ControlError } from '../../../shared/control-api/control-error.js';
import type { ClientTimers, ControlSocket } from '../../../shared/control-api/control-socket.js';
import { WebSocketTransport } from './websocket-transport.js';

type Listener = (event: never) => void;

/** A socket that the test opens, and whose responses the test writes by hand. */
class ScriptedSocket implements ControlSocket {
  static latest: ScriptedSocket | null = null;
  readonly sent: { id: number; method: string }[] = [];
  private readonly listeners = new Map<string, Listener[]>();

  constructor(readonly url: string) {
    ScriptedSocket.latest = this;
  }

  addEventListener(type: string, listener: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  send(data: string): void {
    this.sent.push(JSON.parse(data) as { id: number; method: string });
  }

  close(): void {}

  dispatch(type: string, event: unknown = {}): void {
    for (const listener of this.listeners.get(type) ?? []) listener(event as never);
  }
}

/** Timers that run only when the test moves the time forward. */
class ManualTimers implements ClientTimers {
  private now = 0;
  private readonly pending = new Map<number, { at: number; callback: () => void }>();
  private nextHandle = 1;

  setTimeout(callback: () => void, delayMs: number): unknown {
    const handle = this.nextHandle++;
    this.pending.set(handle, { at: this.now + delayMs, callback });
    return handle;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  advance(ms: number): void {
    this.now += ms;
    for (const [handle, timer] of [...this.pending]) {
      if (timer.at > this.now) continue;
      this.pending.delete(handle);
      timer.callback();
    }
  }
}

let transport: WebSocketTransport | null = null;

afterEach(() => {
  transport?.close();
  transport = null;
  ScriptedSocket.latest = null;
});

async function openTransport(
  timers: ManualTimers,
): Promise<{ opened: WebSocketTransport; socket: ScriptedSocket }> {
  const opened = new WebSocketTransport(
    { socketUrl: 'ws://127.0.0.1:1/control', token: 't' },
    () => undefined,
    { WebSocket: ScriptedSocket, timers },
  );
  transport = opened;
  const connected = opened.connect();
  const socket = ScriptedSocket.latest;
  if (!socket) throw new Error('the transport opened no socket');
  socket.dispatch('open');
  await connected;
  return { opened, socket };
}

describe('WebSocketTransport', () => {
  describe('call', () => {
    it('waits past the default deadline for link.withCode', async () => {
      const timers = new ManualTimers();
      const { opened, socket } = await openTransport(timers);

      const call = opened.call('link.withCode', { printerId: 'p1', code: 'WRONG' });
      timers.advance(60_000);
      const request = socket.sent[0];
      expect(request?.method).toBe('link.withCode');
      socket.dispatch('message', {
        data: JSON.stringify({
          id: request?.id,
          error: { code: 'link_expired', message: 'This link code expired' },
        }),
      });

      const failure = await call.catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ControlError);
      expect((failure as ControlError).code).toBe('link_expired');
      expect((failure as ControlError).message).toBe('This link code expired');
    });

    it('times out link.withCode once the link deadline is over', async () => {
      const timers = new ManualTimers();
      const { opened } = await openTransport(timers);

      const call = opened.call('link.withCode', { printerId: 'p1', code: 'ABCD' });
      timers.advance(150_000);

      const failure = await call.catch((error: unknown) => error);
      expect((failure as ControlError).code).toBe('timeout');
      expect((failure as ControlError).message).toBe('The control call link.withCode timed out');
    });

    it('keeps the default deadline for other methods', async () => {
      const timers = new ManualTimers();
      const { opened } = await openTransport(timers);

      const call = opened.call('printers.list', {});
      timers.advance(15_000);

      const failure = await call.catch((error: unknown) => error);
      expect((failure as ControlError).code).toBe('timeout');
      expect((failure as ControlError).message).toBe('The control call printers.list timed out');
    });
  });
});
