import {
  desktopMethods,
  ipcCallSchema,
  isDesktopMethod,
  type DesktopMethodName,
  type IpcCallResponse,
} from '../../../shared/contract/desktop-ipc.js';
import {
  invalidArgumentsError,
  unknownMethodError,
} from '../../../shared/control-api/call-validation.js';
import { isControlErrorCode, type ControlErrorCode } from '../../../shared/control-api/errors.js';
import { describeIssues } from '../../../shared/control-api/issue-message.js';
import {
  controlMethods,
  isControlMethod,
  type ControlApi,
} from '../../../shared/control-api/methods.js';
import { errorMessage } from '../../support/coded-error.js';
import type { Logger } from '../../support/logger.js';

/** The shell's side of the desktop methods, receiving validated arguments. */
export type DesktopApi = {
  [M in DesktopMethodName]: (params: never) => Promise<unknown>;
};

export interface IpcCallContext {
  /** URL of the frame that sent the call, or undefined when the frame is gone. */
  senderUrl: string | undefined;
}

export interface IpcCallHandlerOptions {
  api: ControlApi;
  desktop: DesktopApi;
  isTrustedSender: (url: string) => boolean;
  logger: Logger;
}

/**
 * Handles one request of the call channel: checks the sender, the method name against the allow
 * list and the arguments against the method's schema, then calls the api. It never throws, so
 * every outcome reaches the renderer as data with a stable code.
 */
export function createIpcCallHandler(options: IpcCallHandlerOptions) {
  const { api, desktop, logger } = options;
  return async (context: IpcCallContext, request: unknown): Promise<IpcCallResponse> => {
    if (!context.senderUrl || !options.isTrustedSender(context.senderUrl)) {
      logger.warn({ senderUrl: context.senderUrl }, 'Rejected an IPC call from a foreign frame');
      return failure('unauthorized', 'Only the Moonraker Owl window may call the app');
    }
    const parsed = ipcCallSchema.safeParse(request);
    if (!parsed.success) {
      return failure('invalid_frame', `Invalid IPC call: ${describeIssues(parsed.error.issues)}`);
    }
    const { method, params = {} } = parsed.data;
    try {
      if (isControlMethod(method)) return await callControl(api, method, params);
      if (isDesktopMethod(method)) return await callDesktop(desktop, method, params);
    } catch (error) {
      return fromThrown(error, method, logger);
    }
    logger.info({ method }, 'Rejected an IPC call of an unknown method');
    const { code, message, details } = unknownMethodError(method);
    return failure(code, message, { ...details });
  };
}

async function callControl(
  api: ControlApi,
  method: keyof ControlApi,
  params: unknown,
): Promise<IpcCallResponse> {
  const checked = controlMethods[method].params.safeParse(params);
  if (!checked.success) {
    const { code, message, details } = invalidArgumentsError(method, checked.error.issues);
    return failure(code, message, { ...details });
  }
  // The api receives the parsed params, trimmed and with defaults, as over the control socket.
  const handler = api[method] as (params: unknown) => Promise<unknown>;
  return { ok: true, result: await handler(checked.data) };
}

async function callDesktop(
  desktop: DesktopApi,
  method: DesktopMethodName,
  params: unknown,
): Promise<IpcCallResponse> {
  const checked = desktopMethods[method].params.safeParse(params);
  if (!checked.success) {
    const message = `Invalid arguments for ${method}: ${describeIssues(checked.error.issues)}`;
    return failure('invalid_arguments', message);
  }
  const handler = desktop[method] as (params: unknown) => Promise<unknown>;
  return { ok: true, result: await handler(checked.data) };
}

/** Keeps the code of a coded error; anything else is `internal`, and logged. */
function fromThrown(error: unknown, method: string, logger: Logger): IpcCallResponse {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && isControlErrorCode(code)) {
    const details = (error as { details?: Record<string, unknown> }).details;
    return failure(code, errorMessage(error), details);
  }
  logger.error({ method, err: error }, 'An IPC call failed unexpectedly');
  return failure('internal', `${method} failed: ${errorMessage(error)}`);
}

function failure(
  code: ControlErrorCode,
  message: string,
  details?: Record<string, unknown>,
): IpcCallResponse {
  const withDetails = details && Object.keys(details).length > 0 ? { details } : {};
  return { ok: false, error: { code, message, ...withDetails } };
}

/**
 * Whether `url` is the app's own page: the same scheme, host and path as `pageUrl`, with any query
 * or fragment. Origins are not compared, because a custom scheme such as `app:` has the opaque
 * origin "null".
 */
export function isAppPage(url: string, pageUrl: string): boolean {
  if (!URL.canParse(url)) return false;
  const candidate = new URL(url);
  const page = new URL(pageUrl);
  return (
    candidate.protocol === page.protocol &&
    candidate.host === page.host &&
    candidate.pathname === page.pathname
  );
}
