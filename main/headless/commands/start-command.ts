import { CredentialsStore } from '../../cloud/credentials-store.js';
import { HealthServer } from '../../cloud/health-server.js';
import { FileSecretStore } from '../../cloud/secret-store.js';
import { systemClock } from '../../support/clock.js';
import { createLogger } from '../../support/logger.js';
import type { Logger } from '../../support/logger.js';
import { APP_VERSION } from '../../version.js';
import { BridgeGroup, type BridgeTarget } from '../bridge-group.js';
import type { CliCommand } from '../cli-commands.js';
import { DataDirLock } from '../data-dir-lock.js';
import type { LoadedConfig } from '../config-file.js';
import { loadConfig } from '../config-file.js';
import { waitForStopSignal } from '../run-until-signal.js';
import { serviceHealth } from '../service-health.js';
import { requireString } from './show-config-command.js';

export const startCommand: CliCommand = {
  name: 'start',
  usage: 'start --config FILE',
  summary: 'Bridge every linked printer of the configuration until stopped.',
  options: { config: { type: 'string', help: 'Path of the TOML configuration file' } },
  async run(values) {
    const loaded = await loadConfig(requireString(values, 'config'));
    const lock = await DataDirLock.acquire(loaded.dataDir);
    try {
      return await bridgeUntilStopped(loaded);
    } finally {
      await lock.release();
    }
  },
};

async function bridgeUntilStopped(loaded: LoadedConfig): Promise<number> {
  const { config } = loaded;
  const logger = createLogger({ level: config.logging.level });
  for (const unknown of loaded.unknownKeys) {
    logger.warn({ config: loaded.path, key: unknown.path }, unknown.message);
  }
  const targets = await linkedTargets(loaded, logger);
  if (targets.length === 0) {
    logger.error('No linked printer to bridge; link one with "moonraker-owl link" first');
    return 1;
  }

  const bridges = new BridgeGroup({
    cloud: {
      baseUrl: config.cloud.base_url,
      brokerUrl: config.cloud.broker_url,
      ...(config.cloud.broker_use_tls === undefined ? {} : { useTls: config.cloud.broker_use_tls }),
    },
    dataDir: loaded.dataDir,
    version: APP_VERSION,
    clock: systemClock,
    logger,
    telemetry: {
      sensorsIntervalSeconds: config.telemetry.sensors_interval_seconds,
      sensorsMinIntervalSeconds: config.telemetry.sensors_min_interval_seconds,
      statusHeartbeatSeconds: config.telemetry.status_heartbeat_seconds,
      statusMinIntervalSeconds: config.telemetry.status_min_interval_seconds,
      sensorFilter: {
        allowlist: config.telemetry.sensor_allowlist,
        denylist: config.telemetry.sensor_denylist,
        maxCustomSensors: config.telemetry.max_custom_sensors,
        maxSensorCount: config.telemetry.max_sensor_count,
      },
    },
    sessionExpirySeconds: config.resilience.session_expiry_seconds,
    reconnectPerpetualSeconds: config.resilience.reconnect_perpetual_seconds,
  });
  const health =
    config.health.enabled && config.health.port > 0
      ? new HealthServer({
          host: config.health.host,
          port: config.health.port,
          logger,
          provider: () => serviceHealth(bridges.snapshots(), Date.now()),
        })
      : undefined;

  await health?.start();
  await bridges.start(targets);
  const stopped = waitForStopSignal();
  logger.info({ printers: bridges.size }, 'moonraker-owl is running');
  const signal = await stopped;
  logger.info({ signal }, 'Stopping');
  await bridges.stop();
  health?.dispose();
  return 0;
}

async function linkedTargets(loaded: LoadedConfig, logger: Logger): Promise<BridgeTarget[]> {
  const credentials = new CredentialsStore(FileSecretStore.inFolder(loaded.dataDir, logger));
  const targets: BridgeTarget[] = [];
  for (const printer of loaded.config.printers) {
    if (!printer.enabled) continue;
    const linked = await credentials.get(printer.name);
    if (!linked) {
      logger.warn(
        { printer: printer.name },
        `Printer is not linked; run: moonraker-owl link --config ${loaded.path} --printer "${printer.name}" --code CODE`,
      );
      continue;
    }
    targets.push({
      name: printer.name,
      moonrakerUrl: printer.moonraker_url,
      ...(printer.api_key ? { apiKey: printer.api_key } : {}),
      credentials: linked,
    });
  }
  return targets;
}
