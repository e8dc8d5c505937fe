import { describe, expect, it } from 'vitest';

import { ControlError } from '../../../shared/control-api/control-error.js';
import type { ControlSocket } from '../../../shared/control-api/control-socket.js';
import { FakeDesktopBridge } from '../test-support/fake-desktop-bridge.js';
import { OwlBridgeTransport } from './owl-bridge.js';
import {
  isTokenRejection,
  pickTransport,
  TOKEN_STORAGE_KEY,
  type TransportWindow,
} from './pick-transport.js';

/** `sessionStorage` of one tab. */
class MemoryStorage {
  readonly items = new Map<string, string>();

  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }

  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }

  removeItem(key: string): void {
    this.items.delete(key);
  }
}

/** Builds a page of the headless service at `href`, with the tab's storage and history. */
function page(href: string, storage = new MemoryStorage()) {
  const addresses: string[] = [];
  const win = {
    location: { href, origin: new URL(href).origin },
    history: {
      replaceState: (_state: unknown, _title: string, url: string) => addresses.push(url),
    },
    sessionStorage: storage,
  } as unknown as TransportWindow;
  return { win, storage, addresses };
}

type Listener = (event: never) => void;

/** Builds a socket class that opens, or closes with 1006 as a browser reports a rejected upgrade. */
function scriptedSockets(outcome: 'open' | 'rejected') {
  const urls: string[] = [];
  class ScriptedSocket implements ControlSocket {
    private readonly listeners = new Map<string, Listener[]>();

    constructor(url: string) {
      urls.push(url);
      setTimeout(() => {
        if (outcome === 'open') this.dispatch('open', {});
        else this.dispatch('close', { code: 1006, reason: '' });
      }, 0);
    }

    addEventListener(type: string, listener: Listener): void {
      this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
    }

    send(): void {}

    close(): void {}

    private dispatch(type: string, event: unknown): void {
      for (const listener of this.listeners.get(type) ?? []) listener(event as never);
    }
  }
  return { WebSocket: ScriptedSocket, urls };
}

/** Builds a `fetch` that responds with `status`, or fails like an unreachable service. */
function scriptedFetch(status: number | 'unreachable') {
  const requests: { url: string; authorization: string | null }[] = [];
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    requests.push({
      url: String(input),
      authorization: new Headers(init?.headers).get('authorization'),
    });
    if (status === 'unreachable') throw new TypeError('Failed to fetch');
    return new Response('', { status });
  };
  return { fetch: fetchImpl as typeof fetch, requests };
}

describe('pickTransport', () => {
  it('moves the token from the address to the tab', () => {
    const { win, storage, addresses } = page('http://127.0.0.1:8765/?token=abc&lang=zh#/fleet');

    const choice = pickTransport(win);

    expect(choice.kind).toBe('ready');
    expect(storage.getItem(TOKEN_STORAGE_KEY)).toBe('abc');
    expect(addresses).toEqual(['/?lang=zh#/fleet']);
  });

  it('uses the stored token after a reload', async () => {
    const storage = new MemoryStorage();
    storage.setItem(TOKEN_STORAGE_KEY, 'abc');
    const { win, addresses } = page('http://127.0.0.1:8765/#/printers/p1', storage);
    const sockets = scriptedSockets('open');

    const choice = pickTransport(win, { socket: { WebSocket: sockets.WebSocket } });
    if (choice.kind !== 'ready') throw new Error(`expected a transport, got ${choice.kind}`);
    await choice.connect();

    expect(sockets.urls).toEqual(['ws://127.0.0.1:8765/control?token=abc']);
    expect(addresses).toEqual([]);
  });

  it('asks for the address without any token', () => {
    const { win } = page('http://127.0.0.1:8765/');
    expect(pickTransport(win)).toEqual({ kind: 'missing-token' });
  });

  it('reports a rejected token', async () => {
    const { win, storage } = page('http://127.0.0.1:8765/?token=wrong');
    const sockets = scriptedSockets('rejected');
    const service = scriptedFetch(401);

    const choice = pickTransport(win, {
      socket: { WebSocket: sockets.WebSocket },
      fetch: service.fetch,
    });
    if (choice.kind !== 'ready') throw new Error(`expected a transport, got ${choice.kind}`);
    const failure = await choice.connect().catch((error: unknown) => error);

    expect(isTokenRejection(failure)).toBe(true);
    expect(service.requests).toEqual([
      { url: 'http://127.0.0.1:8765/control', authorization: 'Bearer wrong' },
    ]);
    expect(storage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
  });

  it('keeps the socket error when the token is accepted', async () => {
    const { win, storage } = page('http://127.0.0.1:8765/?token=abc');
    const sockets = scriptedSockets('rejected');
    const service = scriptedFetch(426);

    const choice = pickTransport(win, {
      socket: { WebSocket: sockets.WebSocket },
      fetch: service.fetch,
    });
    if (choice.kind !== 'ready') throw new Error(`expected a transport, got ${choice.kind}`);
    const failure = await choice.connect().catch((error: unknown) => error);

    expect(isTokenRejection(failure)).toBe(false);
    expect(failure).toBeInstanceOf(ControlError);
    expect((failure as ControlError).message).toContain('the socket closed with code 1006');
    expect(storage.getItem(TOKEN_STORAGE_KEY)).toBe('abc');
  });

  it('keeps the socket error when the service is down', async () => {
    const { win } = page('http://127.0.0.1:8765/?token=abc');
    const sockets = scriptedSockets('rejected');

    const choice = pickTransport(win, {
      socket: { WebSocket: sockets.WebSocket },
      fetch: scriptedFetch('unreachable').fetch,
    });
    if (choice.kind !== 'ready') throw new Error(`expected a transport, got ${choice.kind}`);
    const failure = await choice.connect().catch((error: unknown) => error);

    expect((failure as ControlError).code).toBe('disconnected');
  });

  it('uses the preload inside the desktop app', () => {
    const { win } = page('app://owl/index.html');
    const bridge = new FakeDesktopBridge();

    const choice = pickTransport({ ...win, owl: bridge });

    expect(choice.kind).toBe('ready');
    if (choice.kind !== 'ready') return;
    expect(choice.transport).toBeInstanceOf(OwlBridgeTransport);
    expect(choice.desktop).not.toBeNull();
  });
});
