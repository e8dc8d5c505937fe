// The preload runs sandboxed, where `require` offers only a few built-in modules and no relative
// files, so it is compiled as CommonJS on its own and imports nothing but types from shared/.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS import syntax of TypeScript
import electron = require('electron');

import type {
  DESKTOP_IPC_CHANNELS,
  IpcCallResponse,
  IpcEventFrame,
  OwlDesktopBridge,
} from '../../shared/contract/desktop-ipc.js';

const { contextBridge, ipcRenderer } = electron;

type Channels = typeof DESKTOP_IPC_CHANNELS;
const CALL: Channels['call'] = 'owl:call';
const EVENT: Channels['event'] = 'owl:event';
const LOG: Channels['log'] = 'owl:log';

const bridge: OwlDesktopBridge = {
  async call(method, params) {
    const response = (await ipcRenderer.invoke(CALL, { method, params })) as IpcCallResponse;
    if (response.ok) return response.result;
    // Rejects with plain data, which crosses the context bridge with its code intact.
    throw response.error;
  },
  on(event, listener) {
    const forward = (_event: unknown, frame: IpcEventFrame) => {
      if (frame.event === event) listener(frame.data);
    };
    ipcRenderer.on(EVENT, forward);
    return () => {
      ipcRenderer.removeListener(EVENT, forward);
    };
  },
  openExternal(url) {
    void ipcRenderer.invoke(CALL, { method: 'app.openExternal', params: { url } });
  },
  log(level, message) {
    ipcRenderer.send(LOG, { level, message: String(message).slice(0, 4000) });
  },
};

contextBridge.exposeInMainWorld('owl', bridge);
