import { z } from 'zod';

import {
  rendererLogLineSchema,
  type ControlMethodName,
  type RendererLogLine,
} from '../control-api/methods.js';

/**
 * The Electron IPC between the preload and the desktop shell. Three channels carry everything:
 * control and desktop calls (request and response), pushed events, and renderer log lines.
 * Errors cross as plain `ControlErrorData`, because Electron keeps only the message of a thrown
 * error.
 */

export const DESKTOP_IPC_CHANNELS = {
  call: 'owl:call',
  event: 'owl:event',
  log: 'owl:log',
} as const;

export type DesktopIpcChannel = (typeof DESKTOP_IPC_CHANNELS)[keyof typeof DESKTOP_IPC_CHANNELS];

export const UPDATE_PHASES = [
  'idle',
  'checking',
  'available',
  'downloading',
  'downloaded',
  'restart-requested',
  'error',
] as const;

export const updateStateSchema = z.object({
  phase: z.enum(UPDATE_PHASES),
  /** Version on offer, once the feed has named one. */
  version: z.string().optional(),
  percent: z.number().min(0).max(100).optional(),
  message: z.string().optional(),
  /** Stable code of the failure, or of the reason updates are not set up. */
  code: z.string().optional(),
  /** Epoch milliseconds of the last finished check. */
  checkedAt: z.number().optional(),
});
export type UpdateStateView = z.infer<typeof updateStateSchema>;

const empty = z.object({}).strict();

/** Methods that only the desktop shell serves, next to the control API's methods. */
export const desktopMethods = {
  'app.update.state': { params: empty, result: updateStateSchema },
  'app.update.check': { params: empty, result: updateStateSchema },
  'app.update.restart': {
    params: z
      .object({
        /**
         * Printers the user already agreed to stop reporting, in the window's own confirmation.
         * The shell requests consent again for any other printer that is printing by then.
         */
        confirmedPrinterIds: z.array(z.string().min(1).max(64)).max(1000).optional(),
      })
      .strict(),
    result: z.object({ restarting: z.boolean() }),
  },
  'app.openExternal': {
    params: z.object({ url: z.url({ protocol: /^https?$/ }).max(4096) }).strict(),
    result: z.object({ ok: z.literal(true) }),
  },
} as const;

export type DesktopMethodName = keyof typeof desktopMethods;

export function isDesktopMethod(name: string): name is DesktopMethodName {
  return Object.hasOwn(desktopMethods, name);
}

/** Events that only the desktop shell pushes, next to the control API's events. */
export const desktopEvents = {
  'app.update': updateStateSchema,
} as const;

/** The request on the call channel. */
export const ipcCallSchema = z.object({
  method: z.string().min(1).max(64),
  params: z.unknown().optional(),
});

/** A line that the renderer logs through the log channel, the same as `log.write` takes. */
export const rendererLogSchema = rendererLogLineSchema;
export type { RendererLogLine };

/** The event frame on the event channel. */
export interface IpcEventFrame {
  event: string;
  data: unknown;
}

/** The response on the call channel: a result, or a coded error as plain data. */
export type IpcCallResponse =
  | { ok: true; result: unknown }
  | { ok: false; error: { code: string; message: string; details?: Record<string, unknown> } };

/**
 * One function per method name. Each sends its params on the call channel, resolves with the
 * result and rejects with the plain error data (`code`, `message`, `details`). A name can be
 * missing when the window and the shell come from different builds.
 */
export type BridgeMethods<Name extends string> = {
  readonly [M in Name]?: (params?: unknown) => Promise<unknown>;
};

/**
 * The verbs the preload exposes as `window.owl`: `api` has one function per control API method,
 * `app` one per desktop method, `on` returns the function that unsubscribes, and `log` writes a
 * line to the app's log file.
 */
export interface OwlDesktopBridge {
  readonly api: BridgeMethods<ControlMethodName>;
  readonly app: BridgeMethods<DesktopMethodName>;
  on(event: string, listener: (data: unknown) => void): () => void;
  log(level: RendererLogLine['level'], message: string): void;
}
