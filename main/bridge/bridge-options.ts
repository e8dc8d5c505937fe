import type { DeviceCredentials } from '../../shared/contract/device-http.js';
import type { FetchLike } from '../cloud/cloud-request.js';
import type { ConnectGate } from '../cloud/connect-loop.js';
import type { MqttConnectFunction } from '../cloud/mqtt-client-handle.js';
import type { ReconnectScheduleOptions } from '../cloud/reconnect-schedule.js';
import type { Clock } from '../support/clock.js';
import type { Logger } from '../support/logger.js';
import type { SensorFilterSettings } from '../telemetry/sensor-filter.js';
import type { CommandHistory } from './command-history.js';

export interface BridgeTelemetrySettings {
  sensorsIntervalSeconds: number;
  sensorsMinIntervalSeconds: number;
  statusHeartbeatSeconds: number;
  statusMinIntervalSeconds: number;
  sensorFilter: Partial<SensorFilterSettings>;
}

export interface PrinterBridgeOptions {
  /** The printer's name in the configuration, used in logs and folder names. */
  name: string;
  moonraker: { url: string; apiKey?: string };
  cloud: { baseUrl: string; brokerUrl: string; useTls?: boolean; ca?: string | Buffer };
  credentials: DeviceCredentials;
  /** This device's own folder for the idempotency records and the outbox journal. */
  dataDir: string;
  /** Application version, sent in `$origin`. */
  version: string;
  clock: Clock;
  logger: Logger;
  random?: () => number;
  telemetry?: Partial<BridgeTelemetrySettings>;
  sessionExpirySeconds?: number;
  /** Broker reconnect schedule; 1 s doubling to 30 s, then every 900 s by default. */
  reconnect?: Omit<ReconnectScheduleOptions, 'random'>;
  /** How long pause, resume and cancel wait for the printer's state; 30 s by default. */
  commandStateTimeoutSeconds?: number;
  /**
   * Awaited by the MQTT connection before every connect attempt. A fleet passes its shared
   * connect budget, so that its printers never all connect in the same instant.
   */
  connectGate?: ConnectGate;
  /**
   * Record of the bridge's commands and acks, a new one of 50 commands by default. An owner that
   * replaces a failed bridge passes the same instance on, so the history survives restarts.
   */
  commandHistory?: CommandHistory;
  /** Seams for tests: the cloud's HTTP client and the MQTT connect function. */
  fetch?: FetchLike;
  mqttConnect?: MqttConnectFunction;
}
