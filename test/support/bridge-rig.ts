import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { DeviceCredentials } from '../../shared/contract/device-http.js';
import type { PrinterBridgeOptions } from '../../main/bridge/bridge-options.js';
import { PrinterBridge } from '../../main/bridge/printer-bridge.js';
import { LinkClient } from '../../main/cloud/link-client.js';
import { LocalCloud, type LocalCloudOptions } from '../../main/local-cloud/local-cloud.js';
import {
  MoonrakerSimulator,
  type MoonrakerSimulatorOptions,
  type SentFrame,
} from '../../main/simulator/moonraker-simulator.js';
import { systemClock } from '../../main/support/clock.js';
import {
  createLogger,
  silentLogger,
  type LogLevel,
  type Logger,
} from '../../main/support/logger.js';
import { APP_VERSION } from '../../main/version.js';
import { ArrivalLog } from './arrival-log.js';
import { CloudObserver, type CloudObserverOptions } from './cloud-observer.js';
import { startMosquitto, type MosquittoOptions, type MosquittoProcess } from './mosquitto.js';

/** Set OWL_TEST_LOG=debug (or another pino level) to see the components' logs of a test run. */
function testLogger(): Logger {
  const level = process.env['OWL_TEST_LOG'] as LogLevel | undefined;
  return level ? createLogger({ level, pretty: false }) : silentLogger;
}

/** A started simulator and every notification frame it sent to its websocket clients. */
export interface RunningSimulator {
  readonly simulator: MoonrakerSimulator;
  readonly url: string;
  readonly frames: ArrivalLog<SentFrame>;
}

export type BridgeSettings = Omit<
  PrinterBridgeOptions,
  'version' | 'clock' | 'logger' | 'dataDir' | 'name'
> &
  Partial<Pick<PrinterBridgeOptions, 'dataDir' | 'name'>>;

/**
 * Owns the servers, bridges, clients and folders of one integration test and releases all of
 * them, newest first, in `dispose`. Every piece listens on a free loopback port.
 */
export class BridgeRig {
  readonly logger = testLogger();
  private readonly cleanups: (() => Promise<void>)[] = [];

  async tempDir(prefix = 'owl-integration-'): Promise<string> {
    const folder = await mkdtemp(join(tmpdir(), prefix));
    this.defer(() => rm(folder, { recursive: true, force: true }));
    return folder;
  }

  async mosquitto(options: MosquittoOptions = {}): Promise<MosquittoProcess> {
    const broker = await startMosquitto(options);
    this.defer(() => broker.close());
    return broker;
  }

  async cloud(options: LocalCloudOptions = {}): Promise<LocalCloud> {
    const cloud = await LocalCloud.start({ clock: systemClock, logger: this.logger, ...options });
    this.defer(() => cloud.close());
    return cloud;
  }

  async simulator(options: Omit<MoonrakerSimulatorOptions, 'logger'>): Promise<RunningSimulator> {
    const simulator = new MoonrakerSimulator({ logger: this.logger, ...options });
    const frames = new ArrivalLog<SentFrame>((frame) => frame.text.slice(0, 200));
    simulator.onFrame((frame) => frames.push(frame));
    this.defer(() => simulator.stop());
    const { url } = await simulator.start();
    return { simulator, url, frames };
  }

  /** Links a new device with a link code that the local cloud's operator API mints. */
  async linkDevice(cloud: LocalCloud): Promise<DeviceCredentials> {
    const { code } = await cloud.operator().mintLinkCode();
    const linker = new LinkClient({
      baseUrl: cloud.endpoints.httpUrl,
      clock: systemClock,
      logger: this.logger,
    });
    const linked = await linker.link(code);
    return {
      deviceId: linked.deviceId,
      printerId: linked.printerId,
      devicePrivateKey: linked.devicePrivateKey,
      ...(linked.tenantId ? { tenantId: linked.tenantId } : {}),
    };
  }

  /** Creates and starts a bridge on the system clock, in a new data folder unless one is given. */
  async startBridge(settings: BridgeSettings): Promise<PrinterBridge> {
    const bridge = new PrinterBridge({
      name: 'printer-1',
      dataDir: settings.dataDir ?? (await this.tempDir('owl-bridge-')),
      version: APP_VERSION,
      clock: systemClock,
      logger: this.logger,
      ...settings,
    });
    this.defer(() => bridge.stop());
    await bridge.start();
    return bridge;
  }

  async observer(options: CloudObserverOptions): Promise<CloudObserver> {
    const observer = await CloudObserver.connect(options);
    this.defer(() => observer.close());
    return observer;
  }

  /** Runs `cleanup` in `dispose`, before everything registered earlier. */
  defer(cleanup: () => Promise<void>): void {
    this.cleanups.push(cleanup);
  }

  /** Releases everything, newest first. Every cleanup runs even when an earlier one fails. */
  async dispose(): Promise<void> {
    const failures: unknown[] = [];
    for (const cleanup of this.cleanups.splice(0).reverse()) {
      await cleanup().catch((error: unknown) => failures.push(error));
    }
    if (failures.length > 0) throw new AggregateError(failures, 'Integration cleanup failed');
  }
}
