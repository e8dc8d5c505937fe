import type { DeviceIdentity } from '../../shared/contract/envelope.js';
import type { PrinterPhase } from '../../shared/contract/status.js';
import type { DeviceConnection } from '../cloud/device-connection.js';
import type { DurableOutbox, OutboxStats } from '../cloud/durable-outbox.js';
import type { CommandProcessor } from '../commands/command-processor.js';
import type { MoonrakerClient } from '../moonraker/moonraker-client.js';
import type { RateControl } from '../telemetry/rate-control.js';
import type { TelemetryPipeline } from '../telemetry/telemetry-pipeline.js';
import type { BridgeState } from './bridge-state.js';

/** What one bridge looks like right now, for logs, the health endpoint and local views. */
export interface BridgeSnapshot {
  name: string;
  state: BridgeState;
  deviceId: string;
  printerId?: string;
  mqtt: { state: string };
  moonraker: { state: string; failure?: { code: string; message: string } };
  printer?: { phase: PrinterPhase; reason?: string; job?: string; progressPercent?: number };
  sensorsMode?: string;
  outbox?: OutboxStats;
  commandsInFlight?: number;
}

interface SnapshotParts {
  moonraker: MoonrakerClient;
  connection: DeviceConnection;
  outbox: DurableOutbox;
  pipeline: TelemetryPipeline;
  rate: RateControl;
  processor: CommandProcessor;
}

export function buildBridgeSnapshot(
  name: string,
  state: BridgeState,
  identity: DeviceIdentity,
  parts: SnapshotParts | undefined,
): BridgeSnapshot {
  const base: BridgeSnapshot = {
    name,
    state,
    deviceId: identity.deviceId,
    ...(identity.printerId ? { printerId: identity.printerId } : {}),
    mqtt: { state: parts?.connection.state ?? 'idle' },
    moonraker: { state: parts?.moonraker.state ?? 'idle' },
  };
  if (!parts) return base;

  const failure = parts.moonraker.lastFailure;
  if (failure) base.moonraker.failure = { code: failure.code, message: failure.message };
  if (parts.pipeline.model.store.objectNames().length > 0) {
    const status = parts.pipeline.model.status.build({
      heartbeatSeconds: 60,
      watchWindowActive: false,
    });
    base.printer = {
      phase: status.lifecycle.phase,
      ...(status.lifecycle.reason ? { reason: status.lifecycle.reason } : {}),
      ...(status.job?.name ? { job: status.job.name } : {}),
      ...(status.job?.progressPercent === undefined
        ? {}
        : { progressPercent: status.job.progressPercent }),
    };
  }
  base.sensorsMode = parts.rate.rate.mode;
  base.outbox = parts.outbox.stats();
  base.commandsInFlight = parts.processor.inFlightCount;
  return base;
}
