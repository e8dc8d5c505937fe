import type { PrinterBridgeOptions } from '../../bridge/bridge-options.js';
import type { Clock } from '../../support/clock.js';
import type { Logger } from '../../support/logger.js';
import type { AdmissionLimits } from './admission-schedule.js';
import type { BridgeFactory } from './fleet-bridge.js';
import type { LocalNetworkLookup } from './local-network.js';
import type { RestartBackoffOptions } from './restart-backoff.js';
import type { StandbyProbe } from './standby-probes.js';
import type { StaggerOptions } from './start-stagger.js';

export interface FleetRuntimeOptions {
  cloud: PrinterBridgeOptions['cloud'];
  /** Data folder; each device gets `devices/<deviceId>` in it. */
  dataDir: string;
  /** Application version, sent in `$origin`. */
  version: string;
  clock: Clock;
  logger: Logger;
  random?: () => number;
  telemetry?: PrinterBridgeOptions['telemetry'];
  sessionExpirySeconds?: number;
  reconnect?: PrinterBridgeOptions['reconnect'];
  /** The fleet-wide connect budget; 10 connects per second with a burst of 10 by default. */
  budget?: Partial<AdmissionLimits>;
  /** Spread of the first start: min(30 s, count × 100 ms) by default. */
  stagger?: StaggerOptions;
  /** Restart waits of crashed bridges: 1 s doubling to 5 min, reset after 10 min running. */
  restart?: RestartBackoffOptions;
  /** Maximum wait for one bridge's start; 30 000 ms by default. */
  startTimeoutMs?: number;
  /** Maximum wait for one bridge's graceful stop; 10 000 ms by default. */
  stopTimeoutMs?: number;
  /** Shortest time between two change notifications of one printer; 250 ms by default. */
  changeIntervalMs?: number;
  /** Transitions the timeline keeps per health link; 200 by default. */
  timelineLimit?: number;
  /** Creates the bridges; `PrinterBridge` by default. */
  createBridge?: BridgeFactory;
  /** Finds this computer's `trusted_clients` entry for a printer; a UDP route lookup by default. */
  localNetwork?: LocalNetworkLookup;
  /** Probes a printer without a running bridge; `probeMoonraker` with a 3 s timeout by default. */
  probe?: StandbyProbe;
  /** Time between two probes of a printer without a running bridge; 45 000 ms by default. */
  standbyProbeIntervalMs?: number;
  /** Seams handed to every bridge, for tests: the cloud's HTTP client and MQTT connect. */
  bridgeSeams?: Pick<PrinterBridgeOptions, 'fetch' | 'mqttConnect'>;
}

export const DEFAULT_STOP_TIMEOUT_MS = 10_000;
export const DEFAULT_CHANGE_INTERVAL_MS = 250;
/** Sensors interval outside a watch window when the settings give none. */
export const DEFAULT_IDLE_INTERVAL_SECONDS = 30;
