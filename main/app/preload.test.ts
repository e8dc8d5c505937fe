import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileFunction } from 'node:vm';

import ts from 'typescript';
import { describe, expect, it } from 'vitest';

import { desktopMethods, type OwlDesktopBridge } from '../../shared/contract/desktop-ipc.js';
import { controlMethods } from '../../shared/control-api/methods.js';
import { preloadArguments } from './logic/preload-arguments.js';

type Listener = (event: unknown, frame: unknown) => void;

/** The `ipcRenderer` calls that the preload makes, with scripted responses to `invoke`. */
class RecordingIpcRenderer {
  readonly invoked: { channel: string; request: unknown }[] = [];
  readonly sent: { channel: string; line: unknown }[] = [];
  readonly listeners = new Map<string, Set<Listener>>();
  response: unknown = { ok: true, result: [] };

  async invoke(channel: string, request: unknown): Promise<unknown> {
    this.invoked.push({ channel, request });
    return this.response;
  }

  send(channel: string, line: unknown): void {
    this.sent.push({ channel, line });
  }

  on(channel: string, listener: Listener): void {
    const set = this.listeners.get(channel) ?? new Set();
    set.add(listener);
    this.listeners.set(channel, set);
  }

  removeListener(channel: string, listener: Listener): void {
    this.listeners.get(channel)?.delete(listener);
  }

  emit(channel: string, frame: unknown): void {
    for (const listener of this.listeners.get(channel) ?? []) listener({}, frame);
  }
}

/**
 * Compiles preload.cts as the app build does and runs it with a stand-in `electron` module and
 * the command line `argv` that the shell gives the window, returning what it exposed and every
 * module it required.
 */
function loadPreload(argv: readonly string[] = preloadArguments()) {
  const source = readFileSync(join(import.meta.dirname, 'preload.cts'), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2023 },
  });
  const ipcRenderer = new RecordingIpcRenderer();
  const exposed = new Map<string, unknown>();
  const required: string[] = [];
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value) },
    ipcRenderer,
  };
  const requireModule = (name: string): unknown => {
    required.push(name);
    if (name === 'electron') return electron;
    throw new Error(`A sandboxed preload cannot require ${name}`);
  };
  const module = { exports: {} };
  const process = { argv: ['/opt/moonraker-owl/moonraker-owl', '--type=renderer', ...argv] };
  compileFunction(outputText, ['require', 'module', 'exports', 'process'])(
    requireModule,
    module,
    module.exports,
    process,
  );
  return { owl: exposed.get('owl') as OwlDesktopBridge, exposed, required, ipcRenderer };
}

/** Returns one exposed verb, failing the test when the preload did not expose it. */
function verb(methods: object, name: string): (params?: unknown) => Promise<unknown> {
  const found = (methods as Record<string, ((params?: unknown) => Promise<unknown>) | undefined>)[
    name
  ];
  if (!found) throw new Error(`The preload exposed no ${name}`);
  return found;
}

describe('preload', () => {
  it('exposes only window.owl', () => {
    const { exposed, required } = loadPreload();
    expect([...exposed.keys()]).toEqual(['owl']);
    expect(required).toEqual(['electron']);
  });

  it('names every control method', () => {
    const { owl } = loadPreload();
    expect(Object.keys(owl.api).sort()).toEqual(Object.keys(controlMethods).sort());
    for (const method of Object.values(owl.api)) expect(method).toBeTypeOf('function');
  });

  it('names every desktop method', () => {
    const { owl } = loadPreload();
    expect(Object.keys(owl.app).sort()).toEqual(Object.keys(desktopMethods).sort());
  });

  it('ignores names that are not method names', () => {
    const { owl } = loadPreload(['--owl-api-methods=printers.list,__proto__,,constructor']);
    expect(Object.keys(owl.api)).toEqual(['printers.list']);
    expect(Object.keys(owl.app)).toEqual([]);
  });

  it('has no generic call tunnel', () => {
    const { owl } = loadPreload();
    expect(Object.keys(owl).sort()).toEqual(['api', 'app', 'log', 'on']);
  });

  it('sends a named call on the call channel', async () => {
    const { owl, ipcRenderer } = loadPreload();
    ipcRenderer.response = { ok: true, result: [{ id: 'p1' }] };

    const result = await verb(owl.api, 'printers.get')({ printerId: 'p1' });

    expect(result).toEqual([{ id: 'p1' }]);
    expect(ipcRenderer.invoked).toEqual([
      { channel: 'owl:call', request: { method: 'printers.get', params: { printerId: 'p1' } } },
    ]);
  });

  it('sends a desktop method on the call channel', async () => {
    const { owl, ipcRenderer } = loadPreload();
    ipcRenderer.response = { ok: true, result: { ok: true } };

    await verb(owl.app, 'app.openExternal')({ url: 'https://owl.example.com' });

    expect(ipcRenderer.invoked[0]?.request).toEqual({
      method: 'app.openExternal',
      params: { url: 'https://owl.example.com' },
    });
  });

  it('rejects with the error data', async () => {
    const { owl, ipcRenderer } = loadPreload();
    const error = { code: 'not_found', message: 'No printer with id p9' };
    ipcRenderer.response = { ok: false, error };

    await expect(verb(owl.api, 'printers.get')({ printerId: 'p9' })).rejects.toEqual(error);
  });

  it('cuts a long log line to 4000 characters', () => {
    const { owl, ipcRenderer } = loadPreload();

    owl.log('error', 'x'.repeat(5000));
    owl.log('warn', '');

    expect(ipcRenderer.sent).toHaveLength(1);
    expect(ipcRenderer.sent[0]?.channel).toBe('owl:log');
    expect(ipcRenderer.sent[0]?.line).toEqual({ level: 'error', message: 'x'.repeat(4000) });
  });

  it('passes on only the events of the given name', () => {
    const { owl, ipcRenderer } = loadPreload();
    const received: unknown[] = [];
    const stop = owl.on('app.update', (data) => received.push(data));

    ipcRenderer.emit('owl:event', { event: 'printer.changed', data: 1 });
    ipcRenderer.emit('owl:event', { event: 'app.update', data: 2 });
    stop();
    ipcRenderer.emit('owl:event', { event: 'app.update', data: 3 });

    expect(received).toEqual([2]);
  });
});
