import type { Clock } from '../support/clock.js';
import type { Logger } from '../support/logger.js';
import type { ConnectGate } from './connect-loop.js';
import type { MqttConnectFunction } from './mqtt-client-handle.js';
import type { ReconnectScheduleOptions } from './reconnect-schedule.js';
import type { TokenSource } from './token-source.js';

export interface DeviceConnectionOptions {
  /** `mqtt://host:port` or `mqtts://host:port`. */
  brokerUrl: string;
  /** Defaults to true for `mqtts://` and for port 8883. Certificates are always verified. */
  useTls?: boolean;
  /** Extra CA certificates. Without them the system store is used. */
  ca?: string | Buffer;
  deviceId: string;
  tokens: TokenSource;
  clock: Clock;
  logger: Logger;
  random?: () => number;
  /** Payload of the retained Offline status registered as Will, built before every connect. */
  willPayload: () => Buffer | string;
  /** MQTT 5 Session Expiry Interval in seconds. 0 or less omits the property. Default 3600. */
  sessionExpirySeconds?: number;
  /**
   * How long a connect attempt waits for CONNACK, and a subscription replay for SUBACK.
   * Default 30 000.
   */
  connectTimeoutMs?: number;
  /** Deadline of each graceful step when stopping or replacing a client. Default 5000. */
  stopTimeoutMs?: number;
  reconnect?: Omit<ReconnectScheduleOptions, 'random'>;
  /** Factory of MQTT clients, MQTT.js's `connect` by default. */
  mqttConnect?: MqttConnectFunction;
  /**
   * Awaited before every connect attempt, the first one and each retry, and given up when the
   * connection stops. A fleet passes its shared connect budget here, so that many devices that
   * lost the broker together reconnect spread over time. The retry within one attempt after a
   * refused token is not gated.
   */
  connectGate?: ConnectGate;
}

export interface StopOptions {
  /** Published retained with QoS 1 on the status topic before DISCONNECT, when connected. */
  finalMessage?: Buffer | string;
}

export const DEFAULT_SESSION_EXPIRY_SECONDS = 3_600;
export const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;
export const DEFAULT_STOP_TIMEOUT_MS = 5_000;
