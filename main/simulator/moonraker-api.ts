import { ApiError, klippyDisconnected } from './api-error.js';
import type { PrinterBackend } from './printer-backend.js';
import { printerMethods } from './printer-methods.js';
import type { RequestArgs } from './request-args.js';
import { serverMethods } from './server-methods.js';
import type { WebsocketClient } from './websocket-client.js';

/** Host name and versions the simulator reports, so that several simulators tell apart. */
export interface SimulatorIdentity {
  readonly hostname: string;
  readonly klipperVersion: string;
  readonly moonrakerVersion: string;
}

/** The origin of a request, and the tasks to run once its response has been sent. */
export interface RequestContext {
  readonly transport: 'http' | 'websocket';
  /** The websocket client that sent the request; absent for HTTP. */
  readonly client?: WebsocketClient;
  /** Runs `task` after the response to this request has been sent. */
  afterResponse(task: () => void): void;
}

/** A request as it reached the API, before its method was looked up. */
export interface ReceivedRequest {
  readonly method: string;
  readonly transport: RequestContext['transport'];
}

export interface ApiDependencies {
  readonly backend: PrinterBackend;
  readonly identity: SimulatorIdentity;
  readonly apiKey: string | undefined;
  readonly websocketCount: () => number;
  /**
   * Called synchronously, before the method runs, for each authenticated request on a known route.
   * Requests for unknown methods, or that the method then rejects, are reported too.
   */
  readonly onRequest?: (request: ReceivedRequest) => void;
}

export type MethodHandler = (args: RequestArgs, context: RequestContext) => unknown;

/** A JSON-RPC method and the rules for calling it. */
export interface MethodDefinition {
  readonly handler: MethodHandler;
  /** Only persistent connections may call it, as with subscribe and identify. */
  readonly websocketOnly?: boolean;
  /** Moonraker forwards it to Klippy, so it fails while Klippy is disconnected. */
  readonly needsKlippy?: boolean;
}

/**
 * The Moonraker methods the simulator serves, shared by the websocket and the HTTP routes.
 * Handlers run synchronously and throw an ApiError to reject a request.
 */
export class MoonrakerApi {
  private readonly methods: ReadonlyMap<string, MethodDefinition>;

  constructor(private readonly dependencies: ApiDependencies) {
    this.methods = new Map([
      ...Object.entries(serverMethods(dependencies)),
      ...Object.entries(printerMethods(dependencies)),
    ]);
  }

  call(method: string, args: RequestArgs, context: RequestContext): unknown {
    this.dependencies.onRequest?.({ method, transport: context.transport });
    const definition = this.methods.get(method);
    if (!definition) throw new ApiError('method_not_found', 'Method not found');
    if (definition.websocketOnly && context.transport !== 'websocket') {
      throw new ApiError('method_not_found', 'Method not found');
    }
    if (definition.needsKlippy && this.klippyState(context) === 'disconnected') {
      throw klippyDisconnected();
    }
    return definition.handler(args, context);
  }

  private klippyState(context: RequestContext): string {
    return this.dependencies.backend.snapshot(context.client?.id).klippyState;
  }
}
