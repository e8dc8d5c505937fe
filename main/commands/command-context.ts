import type {
  TelemetryRateRequest,
  TelemetryRateResult,
} from '../../shared/contract/telemetry-rate.js';
import type { Logger } from '../support/logger.js';
import type { ObjectFieldMap, ObjectStatus } from '../moonraker/input.js';

/**
 * Dependencies of command handlers. Each is an interface, so handlers run against fakes in tests
 * and against the Moonraker client, the state store and the cadence controller in the bridge.
 */

/**
 * Printer operations, implemented by the Moonraker client. Failures are thrown as CodedError with a
 * MoonrakerErrorCode from `main/moonraker/input.ts`.
 */
export interface PrinterActions {
  printAction(action: 'pause' | 'resume' | 'cancel'): Promise<void>;
  emergencyStop(): Promise<void>;
  firmwareRestart(): Promise<void>;
  startPrint(filename: string): Promise<void>;
  /** Runs a G-code script and resolves once Klipper has executed it. */
  runGcode(script: string, options?: { timeoutMs?: number }): Promise<void>;
  /** Sends a G-code script without waiting for Klipper to execute it. */
  sendGcodeNoWait(script: string): Promise<void>;
  queryObjects(objects: ObjectFieldMap): Promise<ObjectStatus>;
}

/** Read-only view of the printer state that the telemetry side keeps up to date. */
export interface PrinterStateView {
  /** `print_stats.state` as last seen, such as `printing`, or undefined before the first read. */
  printStatsState(): string | undefined;
  /** `heaters.available_heaters`, or undefined while Moonraker has not reported it. */
  availableHeaters(): string[] | undefined;
  /** Names from `printer.objects.list`, such as `gcode_macro PRINT_START` and `exclude_object`. */
  objectNames(): string[];
}

/** The sensors cadence, implemented by the telemetry rate control. */
export interface TelemetryControl {
  /** Applies a rate request; throws CodedError `sensors_unavailable` when telemetry is not running. */
  applyRate(request: TelemetryRateRequest): TelemetryRateResult;
}

export interface CommandContext {
  actions: PrinterActions;
  state: PrinterStateView;
  /** Absent when the device runs without telemetry; rate commands then fail. */
  telemetry?: TelemetryControl;
  logger: Logger;
}

/** Result of a successful handler, sent in the ack's `result` and the `completed` item. */
export type CommandResult = Record<string, unknown>;
