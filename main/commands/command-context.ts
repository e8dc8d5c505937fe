import type {
  TelemetryRateRequest,
  TelemetryRateResult,
} from '../../shared/contract/telemetry-rate.js';
import type { Logger } from '../support/logger.js';
import type { PrinterActions } from '../moonraker/printer-actions.js';

/**
 * Dependencies of command handlers. Each is an interface, so handlers run against fakes in tests
 * and against the Moonraker client, the state store and the cadence controller in the bridge.
 */

export type { PrinterActions } from '../moonraker/printer-actions.js';

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
