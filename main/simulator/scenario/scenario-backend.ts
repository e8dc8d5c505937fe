import type { Clock } from '../../support/clock.js';
import type { Disposable } from '../../support/disposable.js';
import type { Logger } from '../../support/logger.js';
import { ListenerSet } from '../../support/listener-set.js';
import { GcodeCatalog } from '../gcode-catalog.js';
import type { StatusObjects } from '../object-status.js';
import type { ClientHub, PrinterBackend, PrinterSnapshot } from '../printer-backend.js';
import { ScaledTimers, type TimerSet } from '../timer-set.js';
import { demoFiles } from './demo-files.js';
import { PrinterModel, type JobEvent, type UnknownCommandPolicy } from './printer-model.js';
import { runScenario, type ScenarioName } from './scenarios.js';

/** Klipper's monotonic clock at the start of a scenario, in seconds; any positive value works. */
const EVENTTIME_START = 1_000;

export interface ScenarioBackendOptions {
  readonly name: ScenarioName;
  /** Simulated time per real time; 1 runs at a real printer's pace. */
  readonly speed: number;
  readonly clock: Clock;
  readonly timers: TimerSet;
  readonly hub: ClientHub;
  /** Real milliseconds between status updates, Moonraker's 250 by default. */
  readonly updateIntervalMs: number;
  readonly random: () => number;
  readonly unknownCommand: UnknownCommandPolicy;
  readonly logger: Logger;
}

/**
 * Runs a scripted printer: every `updateIntervalMs` the model advances by that time multiplied by
 * `speed`, and each subscribed client receives the fields that changed.
 */
export class ScenarioBackend implements PrinterBackend {
  readonly catalog: GcodeCatalog;
  private readonly model: PrinterModel;
  private readonly simulatedTimers: ScaledTimers;
  private readonly jobEvents: ListenerSet<[JobEvent]>;
  private readonly startedAt: number;
  private scenario: Disposable | undefined;
  private lastStep = 0;
  private disposed = false;

  constructor(private readonly options: ScenarioBackendOptions) {
    this.catalog = new GcodeCatalog(demoFiles());
    this.simulatedTimers = new ScaledTimers(options.timers, options.speed);
    this.jobEvents = new ListenerSet((error) =>
      options.logger.error({ err: error }, 'Scenario listener failed'),
    );
    this.startedAt = options.clock.monotonic();
    this.model = new PrinterModel({
      catalog: this.catalog,
      timers: this.simulatedTimers,
      output: {
        notify: (method, params) => options.hub.broadcast(method, params),
        flushStatus: () => this.pushStatus(),
        clearSubscriptions: () => options.hub.clearSubscriptions(),
      },
      random: options.random,
      now: () => options.clock.now(),
      jobEvents: this.jobEvents,
      unknownCommand: options.unknownCommand,
    });
  }

  start(): void {
    this.lastStep = this.options.clock.monotonic();
    this.scheduleTick();
    this.scenario = runScenario(this.options.name, {
      model: this.model,
      files: demoFiles(),
      timers: this.simulatedTimers,
      jobEvents: this.jobEvents,
      logger: this.options.logger,
    });
  }

  snapshot(): PrinterSnapshot {
    return {
      klippyState: this.model.klippy.state,
      stateMessage: this.model.klippy.message,
      eventtime: this.eventtime(),
      status: this.model.status(),
      history: this.model.historyJobs,
    };
  }

  subscribedStatus(): StatusObjects {
    return this.model.subscribedStatus();
  }

  objectNames(): readonly string[] {
    return Object.keys(this.model.status());
  }

  beginSubscription(): void {}

  subscriptionResponseSent(): void {}

  clientClosed(): void {}

  startPrint(filename: string): void {
    this.model.startPrint(filename);
  }

  pausePrint(): void {
    this.model.pausePrint();
  }

  resumePrint(): void {
    this.model.resumePrint();
  }

  cancelPrint(): void {
    this.model.cancelPrint();
  }

  emergencyStop(): void {
    this.model.emergencyStop();
  }

  firmwareRestart(): void {
    this.model.firmwareRestart();
  }

  runGcode(script: string): void {
    this.model.runGcode(script);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.scenario?.dispose();
    this.model.dispose();
    this.jobEvents.clear();
  }

  private scheduleTick(): void {
    this.options.timers.after(this.options.updateIntervalMs, () => {
      if (this.disposed) return;
      this.tick();
      this.scheduleTick();
    });
  }

  /** Advances the model by the simulated time since the last step, then pushes changes. */
  private tick(): void {
    const now = this.options.clock.monotonic();
    const dtSeconds = ((now - this.lastStep) * this.options.speed) / 1000;
    this.lastStep = now;
    if (dtSeconds > 0) this.model.step(dtSeconds);
    this.pushStatus();
  }

  private pushStatus(): void {
    if (this.model.klippy.state === 'disconnected') return;
    this.options.hub.pushStatus(this.model.subscribedStatus(), this.eventtime());
  }

  private simulatedElapsedMs(): number {
    return (this.options.clock.monotonic() - this.startedAt) * this.options.speed;
  }

  private eventtime(): number {
    return EVENTTIME_START + this.simulatedElapsedMs() / 1000;
  }
}
