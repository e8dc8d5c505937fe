import { describe, expect, it } from 'vitest';

import type { ControlApi } from '../../../shared/control-api/methods.js';
import { CodedError } from '../../support/coded-error.js';
import { silentLogger } from '../../support/logger.js';
import { printing } from './__testing__/printer-summaries.js';
import { createIpcCallHandler, isAppPage, type DesktopApi } from './ipc-call-handler.js';

const PAGE = 'app://owl/index.html';
const trusted = { senderUrl: `${PAGE}#/printers` };

function setup() {
  const calls: { method: string; params: unknown }[] = [];
  const api = new Proxy({} as ControlApi, {
    get: (_target, method: string) => async (params: unknown) => {
      calls.push({ method, params });
      if (method === 'printers.get') throw new CodedError('not_found', 'No printer with id p9');
      if (method === 'discovery.refresh') throw new Error('socket hang up');
      return [printing(10)];
    },
  });
  const desktop = {
    'app.update.state': async () => ({ phase: 'idle' }),
    'app.update.check': async () => ({ phase: 'checking' }),
    'app.update.restart': async () => ({ restarting: false }),
    'app.openExternal': async () => ({ ok: true }),
  } satisfies DesktopApi;
  const handle = createIpcCallHandler({
    api,
    desktop,
    isTrustedSender: (url) => isAppPage(url, PAGE),
    logger: silentLogger,
  });
  return { calls, handle };
}

describe('createIpcCallHandler', () => {
  it('passes valid params to the api', async () => {
    const { calls, handle } = setup();
    const response = await handle(trusted, { method: 'printers.list', params: {} });
    expect(response).toEqual({ ok: true, result: [printing(10)] });
    expect(calls).toEqual([{ method: 'printers.list', params: {} }]);
  });

  it('rejects an unknown method', async () => {
    const { calls, handle } = setup();
    const response = await handle(trusted, { method: 'shell.exec', params: {} });
    expect(response).toEqual({
      ok: false,
      error: {
        code: 'unknown_method',
        message:
          'Unknown control method "shell.exec". Check the method name; the app and the ' +
          'service may be of different versions.',
        details: { method: 'shell.exec' },
      },
    });
    expect(calls).toEqual([]);
  });

  it('passes the parsed params to the api', async () => {
    const { calls, handle } = setup();
    await handle(trusted, {
      method: 'printers.setMoonrakerUrl',
      params: { printerId: 'p1', moonrakerUrl: '  http://192.168.1.20:7125  ' },
    });
    expect(calls).toEqual([
      {
        method: 'printers.setMoonrakerUrl',
        params: { printerId: 'p1', moonrakerUrl: 'http://192.168.1.20:7125' },
      },
    ]);
  });

  it('rejects a Moonraker URL that is not http', async () => {
    const { calls, handle } = setup();
    const response = await handle(trusted, {
      method: 'printers.setMoonrakerUrl',
      params: { printerId: 'p1', moonrakerUrl: 'ftp://192.168.1.20' },
    });
    expect(response).toEqual({
      ok: false,
      error: {
        code: 'invalid_arguments',
        message:
          'Invalid arguments for printers.setMoonrakerUrl: moonrakerUrl must be an http:// or ' +
          'https:// URL such as http://192.168.1.20:7125',
        details: {
          issues: [
            {
              path: 'moonrakerUrl',
              message:
                'moonrakerUrl must be an http:// or https:// URL such as http://192.168.1.20:7125',
            },
          ],
        },
      },
    });
    expect(calls).toEqual([]);
  });

  it('rejects invalid params before the api', async () => {
    const { calls, handle } = setup();
    const response = await handle(trusted, {
      method: 'printers.rename',
      params: { printerId: 'p1' },
    });
    expect(response.ok).toBe(false);
    if (response.ok) return;
    expect(response.error.code).toBe('invalid_arguments');
    expect(response.error.message).toBe('Invalid arguments for printers.rename: name is required');
    expect(response.error.details).toEqual({
      issues: [{ path: 'name', message: 'name is required' }],
    });
    expect(calls).toEqual([]);
  });

  it('rejects a malformed request', async () => {
    const { handle } = setup();
    const response = await handle(trusted, 'printers.list');
    expect(response).toMatchObject({ ok: false, error: { code: 'invalid_frame' } });
  });

  it('rejects a foreign sender', async () => {
    const { calls, handle } = setup();
    const response = await handle(
      { senderUrl: 'https://evil.example/index.html' },
      { method: 'printers.list' },
    );
    expect(response).toEqual({
      ok: false,
      error: { code: 'unauthorized', message: 'Only the Moonraker Owl window may call the app' },
    });
    expect(calls).toEqual([]);
  });

  it('rejects a call from a destroyed frame', async () => {
    const { handle } = setup();
    const response = await handle({ senderUrl: undefined }, { method: 'printers.list' });
    expect(response).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });

  it('keeps the code of a coded error', async () => {
    const { handle } = setup();
    const response = await handle(trusted, { method: 'printers.get', params: { printerId: 'p9' } });
    expect(response).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'No printer with id p9' },
    });
  });

  it('reports other errors as internal', async () => {
    const { handle } = setup();
    const response = await handle(trusted, { method: 'discovery.refresh', params: {} });
    expect(response).toEqual({
      ok: false,
      error: { code: 'internal', message: 'discovery.refresh failed: socket hang up' },
    });
  });

  it('validates desktop methods too', async () => {
    const { handle } = setup();
    const bad = await handle(trusted, {
      method: 'app.openExternal',
      params: { url: 'file:///etc/passwd' },
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_arguments' } });
    const good = await handle(trusted, {
      method: 'app.openExternal',
      params: { url: 'https://owl.example.com' },
    });
    expect(good).toEqual({ ok: true, result: { ok: true } });
  });
});

describe('isAppPage', () => {
  it('accepts the page with a fragment', () => {
    expect(isAppPage('app://owl/index.html?x=1#/a', PAGE)).toBe(true);
  });

  it('rejects another path or host', () => {
    expect(isAppPage('app://owl/other.html', PAGE)).toBe(false);
    expect(isAppPage('app://evil/index.html', PAGE)).toBe(false);
    expect(isAppPage('file:///index.html', PAGE)).toBe(false);
  });
});
