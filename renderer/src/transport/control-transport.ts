import type { ControlEventData, ControlEventName } from '../../../shared/control-api/events.js';
import type {
  ControlMethodName,
  ControlParams,
  ControlResult,
} from '../../../shared/control-api/methods.js';

/** Whether the UI can reach the service right now. */
export type TransportState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/**
 * The control API as the UI uses it, carried either by the loopback WebSocket in a browser or
 * by the Electron preload's `window.owl`. Calls reject with a `ControlError`.
 */
export interface ControlTransport {
  call<M extends ControlMethodName>(method: M, params: ControlParams<M>): Promise<ControlResult<M>>;
  /** Adds a listener for one event and returns the function that removes it. */
  on<E extends ControlEventName>(
    event: E,
    listener: (data: ControlEventData<E>) => void,
  ): () => void;
  readonly state: TransportState;
  /** Adds a listener for state changes and returns the function that removes it. */
  onStateChange(listener: (state: TransportState) => void): () => void;
  /** Opens an address in the system browser (a new tab in the headless UI). */
  openExternal(url: string): void;
}
