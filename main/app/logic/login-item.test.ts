import { describe, expect, it } from 'vitest';

import { silentLogger } from '../../support/logger.js';
import {
  LoginItemSync,
  loginItemSupport,
  planLoginItem,
  type LoginItemPort,
  type LoginItemState,
  type LoginItemSupport,
} from './login-item.js';

class FakeLoginItem implements LoginItemPort {
  readonly calls: string[] = [];
  failWrite: Error | undefined;
  failRead: Error | undefined;

  constructor(
    public state: LoginItemState,
    readonly support: LoginItemSupport = 'electron-login-item',
  ) {}

  async read(): Promise<LoginItemState> {
    this.calls.push('read');
    if (this.failRead) throw this.failRead;
    return this.state;
  }

  async register(): Promise<void> {
    this.calls.push('register');
    if (this.failWrite) throw this.failWrite;
    this.state = 'registered';
  }

  async unregister(): Promise<void> {
    this.calls.push('unregister');
    if (this.failWrite) throw this.failWrite;
    this.state = 'absent';
  }
}

describe('planLoginItem', () => {
  const base = { support: 'electron-login-item', packaged: true } as const;

  it('registers a startAtLogin item that the OS lacks', () => {
    expect(planLoginItem({ ...base, startAtLogin: true, state: 'absent' })).toEqual({
      kind: 'register',
    });
  });

  it('rewrites an outdated item', () => {
    expect(planLoginItem({ ...base, startAtLogin: true, state: 'outdated' })).toEqual({
      kind: 'register',
    });
  });

  it('removes an item that is no longer startAtLogin', () => {
    for (const state of ['registered', 'outdated', 'unknown'] as const) {
      expect(planLoginItem({ ...base, startAtLogin: false, state })).toEqual({
        kind: 'unregister',
      });
    }
  });

  it('keeps an item that matches the setting', () => {
    const keep = { kind: 'keep', reason: 'in-sync' };
    expect(planLoginItem({ ...base, startAtLogin: true, state: 'registered' })).toEqual(keep);
    expect(planLoginItem({ ...base, startAtLogin: false, state: 'absent' })).toEqual(keep);
  });

  it('never registers an unpackaged run', () => {
    expect(
      planLoginItem({ ...base, packaged: false, startAtLogin: true, state: 'absent' }),
    ).toEqual({
      kind: 'keep',
      reason: 'unpackaged',
    });
  });

  it('does nothing where the OS has no login items', () => {
    const facts = {
      support: 'unsupported',
      packaged: true,
      startAtLogin: true,
      state: 'unknown',
    } as const;
    expect(planLoginItem(facts)).toEqual({ kind: 'keep', reason: 'unsupported' });
  });
});

describe('loginItemSupport', () => {
  it('maps platforms to their login item mechanism', () => {
    expect(loginItemSupport('darwin')).toBe('electron-login-item');
    expect(loginItemSupport('win32')).toBe('electron-login-item');
    expect(loginItemSupport('linux')).toBe('xdg-autostart');
    expect(loginItemSupport('aix')).toBe('unsupported');
  });
});

describe('LoginItemSync', () => {
  describe('sync', () => {
    it('registers at start when the OS lost the item', async () => {
      const port = new FakeLoginItem('absent');
      const sync = new LoginItemSync(port, true, silentLogger);

      expect(await sync.sync(true)).toBe(true);

      expect(port.calls).toEqual(['read', 'register']);
      expect(port.state).toBe('registered');
    });

    it('reads only when the item already matches', async () => {
      const port = new FakeLoginItem('registered');

      expect(await new LoginItemSync(port, true, silentLogger).sync(true)).toBe(true);
      expect(port.calls).toEqual(['read']);
    });

    it('runs quick toggles one after another', async () => {
      const port = new FakeLoginItem('absent');
      const sync = new LoginItemSync(port, true, silentLogger);

      const results = await Promise.all([sync.sync(true), sync.sync(false), sync.sync(true)]);

      expect(results).toEqual([true, true, true]);
      expect(port.calls).toEqual(['read', 'register', 'read', 'unregister', 'read', 'register']);
      expect(port.state).toBe('registered');
    });

    it('reports a failed OS call as false', async () => {
      const port = new FakeLoginItem('absent');
      port.failWrite = new Error('EACCES: permission denied');

      expect(await new LoginItemSync(port, true, silentLogger).sync(true)).toBe(false);
      expect(port.state).toBe('absent');
    });

    it('writes the item when reading it failed', async () => {
      const port = new FakeLoginItem('absent');
      port.failRead = new Error('EIO: i/o error');

      expect(await new LoginItemSync(port, true, silentLogger).sync(true)).toBe(true);
      expect(port.calls).toEqual(['read', 'register']);
    });

    it('reports false without calling an unsupported OS', async () => {
      const port = new FakeLoginItem('unknown', 'unsupported');

      expect(await new LoginItemSync(port, true, silentLogger).sync(true)).toBe(false);
      expect(port.calls).toEqual([]);
    });
  });
});
