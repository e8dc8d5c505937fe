import { join } from 'node:path';

import type { DeviceCredentials } from '../../shared/contract/device-http.js';
import type { PrinterBridgeOptions } from '../bridge/bridge-options.js';
import type { BridgeSnapshot } from '../bridge/bridge-snapshot.js';
import { PrinterBridge } from '../bridge/printer-bridge.js';
import { delay } from '../support/clock.js';
import type { Clock } from '../support/clock.js';
import { errorMessage } from '../support/coded-error.js';
import type { Logger } from '../support/logger.js';

/** One printer to bridge: where its Moonraker is and the device it was linked as. */
export interface BridgeTarget {
  name: string;
  moonrakerUrl: string;
  apiKey?: string;
  credentials: DeviceCredentials;
}

export interface BridgeGroupOptions {
  cloud: PrinterBridgeOptions['cloud'];
  dataDir: string;
  version: string;
  clock: Clock;
  logger: Logger;
  telemetry?: PrinterBridgeOptions['telemetry'];
  sessionExpirySeconds?: number;
  reconnectPerpetualSeconds?: number;
  /** Pause between two bridge starts, so many printers do not connect in the same instant. */
  startSpacingMs?: number;
}

/**
 * The bridges of one headless service. Bridges start one after another with a short spacing and
 * are isolated: one that fails to start is logged and the others go on.
 */
export class BridgeGroup {
  private readonly bridges: PrinterBridge[] = [];

  constructor(private readonly options: BridgeGroupOptions) {}

  async start(targets: readonly BridgeTarget[]): Promise<void> {
    for (const [index, target] of targets.entries()) {
      if (index > 0) await delay(this.options.clock, this.options.startSpacingMs ?? 200);
      const bridge = new PrinterBridge(this.bridgeOptions(target));
      this.bridges.push(bridge);
      await bridge.start().catch((error: unknown) => {
        this.options.logger.error(
          { printer: target.name, err: errorMessage(error) },
          'Printer bridge did not start; the other printers go on',
        );
      });
    }
  }

  /** Resolves once every started bridge is connected to the broker. */
  async whenAllConnected(): Promise<void> {
    const running = this.bridges.filter((bridge) => bridge.state === 'running');
    await Promise.all(running.map((bridge) => bridge.whenCloudConnected()));
  }

  snapshots(): BridgeSnapshot[] {
    return this.bridges.map((bridge) => bridge.snapshot());
  }

  get size(): number {
    return this.bridges.length;
  }

  async stop(): Promise<void> {
    await Promise.all(this.bridges.map((bridge) => bridge.stop()));
  }

  private bridgeOptions(target: BridgeTarget): PrinterBridgeOptions {
    const { options } = this;
    return {
      name: target.name,
      moonraker: { url: target.moonrakerUrl, ...(target.apiKey ? { apiKey: target.apiKey } : {}) },
      cloud: options.cloud,
      credentials: target.credentials,
      dataDir: join(options.dataDir, 'devices', target.credentials.deviceId),
      version: options.version,
      clock: options.clock,
      logger: options.logger,
      ...(options.telemetry ? { telemetry: options.telemetry } : {}),
      ...(options.sessionExpirySeconds === undefined
        ? {}
        : { sessionExpirySeconds: options.sessionExpirySeconds }),
      ...(options.reconnectPerpetualSeconds
        ? { reconnect: { perpetualRetrySeconds: options.reconnectPerpetualSeconds } }
        : {}),
    };
  }
}
