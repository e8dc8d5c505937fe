import type { Disposable } from '../support/disposable.js';
import type { GcodeCatalog } from './gcode-catalog.js';
import type { StatusObjects } from './object-status.js';
import type { StatusSubscription } from './status-subscription.js';

/** Klippy's state as Moonraker's `server.info` reports it. */
export type KlippyState = 'ready' | 'startup' | 'shutdown' | 'error' | 'disconnected';

/** One entry of Moonraker's job history, in the shape `server.history.list` returns. */
export type HistoryJob = Readonly<Record<string, unknown>> & {
  readonly job_id: string;
  readonly start_time: number;
};

/** The printer's state at one moment, as requests read it. */
export interface PrinterSnapshot {
  readonly klippyState: KlippyState;
  readonly stateMessage: string;
  /** Klipper's monotonic clock in seconds, sent with every status. */
  readonly eventtime: number;
  /** Every printer object, as queries return them. */
  readonly status: StatusObjects;
  /** Job history, oldest first. */
  readonly history: readonly HistoryJob[];
}

/**
 * The source of the simulated printer: a recorded session or a scripted model. Requests reach it
 * through the Moonraker API layer; `clientId` is the websocket client asking, and absent for HTTP.
 * Commands throw an ApiError when Klipper would reject them.
 */
export interface PrinterBackend extends Disposable {
  readonly catalog: GcodeCatalog;
  start(): void;
  snapshot(clientId?: number): PrinterSnapshot;
  /** The status that subscribe responses and status updates are made from. */
  subscribedStatus(clientId: number): StatusObjects;
  objectNames(): readonly string[];
  /** Called before the response to a subscribe is built. */
  beginSubscription(clientId: number): void;
  /** Called once the response to a subscribe has been sent. */
  subscriptionResponseSent(clientId: number): void;
  clientClosed(clientId: number): void;
  startPrint(filename: string): void;
  pausePrint(): void;
  resumePrint(): void;
  cancelPrint(): void;
  emergencyStop(): void;
  firmwareRestart(): void;
  runGcode(script: string): void;
}

/** A notification sent to one websocket client. */
export interface SentFrame {
  readonly clientId: number;
  readonly method: string;
  /** The clock's monotonic milliseconds when the frame was handed to the socket. */
  readonly sentAt: number;
  readonly text: string;
  /** Line of the recording the frame was replayed from. */
  readonly recordingLine?: number;
}

/** The end of one client's replay. */
export interface ReplayFinished {
  readonly clientId: number;
  readonly framesSent: number;
  /** Status updates that carried nothing the client subscribed to. */
  readonly framesSkipped: number;
  /** The clock's monotonic milliseconds when the last frame went out. */
  readonly finishedAt: number;
}

/** The client side that backends push to. */
export interface ClientHub {
  /** Sends a notification to every client that is allowed to receive it. */
  broadcast(method: string, params?: readonly unknown[]): void;
  /** Sends the already serialized notification `text` to one client. */
  sendText(clientId: number, method: string, text: string, recordingLine?: number): boolean;
  /** Sends each subscribed client the fields of `status` that changed since its last update. */
  pushStatus(status: StatusObjects, eventtime: number): void;
  subscription(clientId: number): StatusSubscription | undefined;
  /** Drops subscriptions, as Moonraker does when it loses Klippy; all clients when no id. */
  clearSubscriptions(clientId?: number): void;
  replayFinished(event: ReplayFinished): void;
}
