import type {
  TelemetryRateRequest,
  TelemetryRateResult,
} from '../../../shared/contract/telemetry-rate.js';
import { CodedError } from '../../support/coded-error.js';
import { silentLogger } from '../../support/logger.js';
import type { ObjectFieldMap, ObjectStatus } from '../../moonraker/input.js';
import type {
  CommandContext,
  PrinterActions,
  PrinterStateView,
  TelemetryControl,
} from '../command-context.js';

/**
 * A printer for command tests. It records every call in `calls` (G-code scripts as
 * `gcode <script>`), fails calls on request, and can hold a call until the test releases it.
 */
export class FakePrinter implements PrinterActions, PrinterStateView {
  readonly calls: string[] = [];
  readonly gcodeOptions: ({ timeoutMs?: number } | undefined)[] = [];
  printState: string | undefined = 'standby';
  heaters: string[] | undefined = ['extruder', 'heater_bed'];
  objects: string[] = ['toolhead', 'extruder', 'heater_bed', 'gcode_macro PRINT_START'];
  printObjects: string[] = [];
  private readonly failures = new Map<string, Error>();
  private readonly holds = new Map<string, Promise<void>>();

  /** Makes every later call of `method` reject with `error`. */
  failWith(method: keyof PrinterActions, error: Error): void {
    this.failures.set(method, error);
  }

  /** Holds calls of `method` until the returned function is called. */
  hold(method: keyof PrinterActions): () => void {
    let release = (): void => undefined;
    this.holds.set(method, new Promise((resolve) => (release = resolve)));
    return () => {
      this.holds.delete(method);
      release();
    };
  }

  get gcode(): string[] {
    return this.calls.filter((call) => call.startsWith('gcode ')).map((call) => call.slice(6));
  }

  printAction(action: 'pause' | 'resume' | 'cancel'): Promise<void> {
    return this.call('printAction', `printAction ${action}`);
  }

  emergencyStop(): Promise<void> {
    return this.call('emergencyStop', 'emergencyStop');
  }

  firmwareRestart(): Promise<void> {
    return this.call('firmwareRestart', 'firmwareRestart');
  }

  startPrint(filename: string): Promise<void> {
    return this.call('startPrint', `startPrint ${filename}`);
  }

  runGcode(script: string, options?: { timeoutMs?: number }): Promise<void> {
    this.gcodeOptions.push(options);
    return this.call('runGcode', `gcode ${script}`);
  }

  sendGcodeNoWait(script: string): Promise<void> {
    return this.call('sendGcodeNoWait', `nowait ${script}`);
  }

  async queryObjects(objects: ObjectFieldMap): Promise<ObjectStatus> {
    await this.call('queryObjects', `query ${Object.keys(objects).join(',')}`);
    const status: ObjectStatus = {};
    if ('print_stats' in objects) status.print_stats = { state: this.printState };
    if ('exclude_object' in objects && this.objects.includes('exclude_object')) {
      status.exclude_object = { objects: this.printObjects.map((name) => ({ name })) };
    }
    return status;
  }

  printStatsState(): string | undefined {
    return this.printState;
  }

  availableHeaters(): string[] | undefined {
    return this.heaters;
  }

  objectNames(): string[] {
    return this.objects;
  }

  private async call(method: string, record: string): Promise<void> {
    this.calls.push(record);
    await this.holds.get(method);
    const failure = this.failures.get(method);
    if (failure) throw failure;
  }
}

/** Telemetry rate control that records requests and returns a fixed interval. */
export class FakeTelemetry implements TelemetryControl {
  readonly requests: TelemetryRateRequest[] = [];
  unavailable = false;

  applyRate(request: TelemetryRateRequest): TelemetryRateResult {
    if (this.unavailable) throw new CodedError('sensors_unavailable', 'Sensors are not running');
    this.requests.push(request);
    const intervalSeconds = request.mode === 'watch' ? 1 : 30;
    return {
      mode: request.mode,
      intervalSeconds,
      ...(request.durationSeconds === undefined
        ? {}
        : { durationSeconds: request.durationSeconds }),
    };
  }
}

export function moonrakerFailure(message = 'Moonraker returned HTTP 500'): CodedError {
  return new CodedError('http_error', message);
}

/** Builds a handler context; pass `null` as telemetry for a device without telemetry. */
export function createContext(
  printer = new FakePrinter(),
  telemetry: TelemetryControl | null = new FakeTelemetry(),
): CommandContext {
  return {
    actions: printer,
    state: printer,
    ...(telemetry ? { telemetry } : {}),
    logger: silentLogger,
  };
}
