import type { IPublishPacket } from 'mqtt';

import type { Logger } from '../support/logger.js';
import type { ConnectFailure } from './connect-failure.js';
import type { ConnectedEvent, DisconnectedEvent } from './connection-events.js';
import type { ConnectionState } from './connection-state.js';
import { ListenerSet, logListenerErrors } from '../support/listener-set.js';

export type MessageListener = (topic: string, payload: Buffer, packet: IPublishPacket) => void;

/** Listener lists of a device connection, one per event. */
export class DeviceConnectionEvents {
  readonly message: ListenerSet<Parameters<MessageListener>>;
  readonly stateChange: ListenerSet<[state: ConnectionState, previous: ConnectionState]>;
  readonly connected: ListenerSet<[ConnectedEvent]>;
  readonly disconnected: ListenerSet<[DisconnectedEvent]>;
  readonly connectFailed: ListenerSet<[ConnectFailure]>;

  constructor(logger: Logger) {
    this.message = new ListenerSet(logListenerErrors(logger, 'message'));
    this.stateChange = new ListenerSet(logListenerErrors(logger, 'stateChange'));
    this.connected = new ListenerSet(logListenerErrors(logger, 'connected'));
    this.disconnected = new ListenerSet(logListenerErrors(logger, 'disconnected'));
    this.connectFailed = new ListenerSet(logListenerErrors(logger, 'connectFailed'));
  }

  clear(): void {
    this.message.clear();
    this.stateChange.clear();
    this.connected.clear();
    this.disconnected.clear();
    this.connectFailed.clear();
  }
}
