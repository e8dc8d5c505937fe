// The preload runs sandboxed, where `require` offers only a few built-in modules and no relative
// files, so it is compiled as CommonJS on its own and imports nothing but types.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS import syntax of TypeScript
import electron = require('electron');

import type {
  BridgeMethods,
  DESKTOP_IPC_CHANNELS,
  DesktopMethodName,
  IpcCallResponse,
  IpcEventFrame,
  OwlDesktopBridge,
} from '../../shared/contract/desktop-ipc.js';
import type {
  ControlMethodName,
  RENDERER_LOG_MAX_CHARS,
} from '../../shared/control-api/methods.js';
import type { CONTROL_METHODS_SWITCH, DESKTOP_METHODS_SWITCH } from './logic/preload-arguments.js';

const { contextBridge, ipcRenderer } = electron;

type Channels = typeof DESKTOP_IPC_CHANNELS;
const CALL: Channels['call'] = 'owl:call';
const EVENT: Channels['event'] = 'owl:event';
const LOG: Channels['log'] = 'owl:log';
const MAX_LOG_CHARS: typeof RENDERER_LOG_MAX_CHARS = 4000;

/**
 * The method names that get a function on `window.owl`. The preload cannot import the method
 * tables at run time, so the shell passes their keys as switches of the renderer's command line.
 */
const API_SWITCH: typeof CONTROL_METHODS_SWITCH = '--owl-api-methods=';
const APP_SWITCH: typeof DESKTOP_METHODS_SWITCH = '--owl-app-methods=';
const METHOD_NAME = /^[a-z][A-Za-z]*(\.[A-Za-z]+)+$/;

function namesAfter(prefix: string): string[] {
  const argument = process.argv.find((candidate) => candidate.startsWith(prefix));
  if (!argument) return [];
  return argument
    .slice(prefix.length)
    .split(',')
    .filter((name) => METHOD_NAME.test(name));
}

async function invoke(method: string, params: unknown): Promise<unknown> {
  const response = (await ipcRenderer.invoke(CALL, { method, params })) as IpcCallResponse;
  if (response.ok) return response.result;
  // Rejects with plain data, which crosses the context bridge with its code intact.
  throw response.error;
}

/** Builds one function per name; the shell still checks each name and its params. */
function methodsOf<Name extends string>(names: readonly string[]): BridgeMethods<Name> {
  const methods: Record<string, (params?: unknown) => Promise<unknown>> = {};
  for (const name of names) methods[name] = (params?: unknown) => invoke(name, params);
  return Object.freeze(methods) as BridgeMethods<Name>;
}

const bridge: OwlDesktopBridge = {
  api: methodsOf<ControlMethodName>(namesAfter(API_SWITCH)),
  app: methodsOf<DesktopMethodName>(namesAfter(APP_SWITCH)),
  on(event, listener) {
    const forward = (_event: unknown, frame: IpcEventFrame) => {
      if (frame.event === event) listener(frame.data);
    };
    ipcRenderer.on(EVENT, forward);
    return () => {
      ipcRenderer.removeListener(EVENT, forward);
    };
  },
  log(level, message) {
    const text = String(message).slice(0, MAX_LOG_CHARS);
    if (text) ipcRenderer.send(LOG, { level, message: text });
  },
};

contextBridge.exposeInMainWorld('owl', bridge);
