import type { ControlClientState } from '../../../shared/control-api/client-state.js';
import { ControlClient, type CallArgs } from '../../../shared/control-api/control-client.js';
import type {
  ClientTimers,
  ControlSocketConstructor,
} from '../../../shared/control-api/control-socket.js';
import type { ControlSession } from '../../../shared/control-api/control-session.js';
import type { ControlEventData, ControlEventName } from '../../../shared/control-api/events.js';
import type {
  ControlMethodName,
  ControlParams,
  ControlResult,
} from '../../../shared/control-api/methods.js';
import { callTimeoutMs } from './call-timeouts.js';
import type { ControlTransport, TransportState } from './control-transport.js';

/** Seams for tests: the socket class and the timers of the control client. */
export interface WebSocketTransportOptions {
  WebSocket?: ControlSocketConstructor;
  timers?: ClientTimers;
}

/**
 * The control API over the headless service's loopback WebSocket. Calls that wait on Owl Cloud
 * get the longer deadline from `callTimeoutMs`.
 */
export class WebSocketTransport implements ControlTransport {
  private readonly client: ControlClient;

  constructor(
    session: ControlSession,
    private readonly openWindow: (url: string) => void = (url) =>
      window.open(url, '_blank', 'noopener'),
    options: WebSocketTransportOptions = {},
  ) {
    this.client = new ControlClient({
      url: session.socketUrl,
      token: session.token,
      WebSocket: options.WebSocket ?? WebSocket,
      ...(options.timers ? { timers: options.timers } : {}),
    });
  }

  /** Opens the socket. A failed first attempt rejects, because it means a wrong address or token. */
  connect(): Promise<void> {
    return this.client.connect();
  }

  get state(): TransportState {
    return toTransportState(this.client.currentState);
  }

  call<M extends ControlMethodName>(
    method: M,
    params: ControlParams<M>,
  ): Promise<ControlResult<M>> {
    const timeoutMs = callTimeoutMs(method);
    const options = timeoutMs === undefined ? undefined : { timeoutMs };
    return this.client.call(method, ...([params, options] as CallArgs<M>));
  }

  on<E extends ControlEventName>(
    event: E,
    listener: (data: ControlEventData<E>) => void,
  ): () => void {
    return this.client.on(event, listener);
  }

  onStateChange(listener: (state: TransportState) => void): () => void {
    return this.client.onStateChange((state) => listener(toTransportState(state)));
  }

  openExternal(url: string): void {
    this.openWindow(url);
  }

  close(): void {
    this.client.close();
  }
}

function toTransportState(state: ControlClientState): TransportState {
  switch (state) {
    case 'idle':
    case 'connecting':
      return 'connecting';
    case 'open':
      return 'open';
    case 'waiting':
      return 'reconnecting';
    case 'closed':
      return 'closed';
  }
}
