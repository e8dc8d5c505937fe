import { ApiError, gcodeError } from '../api-error.js';
import type { ListenerSet } from '../../support/listener-set.js';
import type { GcodeCatalog } from '../gcode-catalog.js';
import { cloneJson, type StatusObjects } from '../object-status.js';
import type { HistoryJob } from '../printer-backend.js';
import type { ScaledTimers } from '../timer-set.js';
import { GcodeCommand } from './gcode-command.js';
import { gcodeHandler, NOT_READY_COMMANDS, type GcodeMachine } from './gcode-handlers.js';
import { HeaterBank } from './heater-bank.js';
import { JobHistory, type JobOutcome } from './job-history.js';
import { KlippyHost } from './klippy-host.js';
import { KlippyLifecycle } from './klippy-lifecycle.js';
import { MacroQueue } from './macro-queue.js';
import type { ModelOutput } from './model-output.js';
import { Peripherals } from './peripherals.js';
import { PrintJob } from './print-job.js';

/** How long Klipper's PAUSE, RESUME and CANCEL_PRINT macros take, in simulated milliseconds. */
export const MACRO_DELAY_MS = { pause: 1_500, resume: 1_500, cancel: 1_000 } as const;

/**
 * Handling of a command Klipper does not know. Stock Klipper replies `// Unknown
 * command:"X"` and the request succeeds (`respond`); `error` fails the request with that message.
 */
export type UnknownCommandPolicy = 'error' | 'respond';

/** A change in the life of a print, for scenarios to react to. */
export type JobEvent =
  | { readonly type: 'started' }
  | { readonly type: 'printing' }
  | { readonly type: 'ended'; readonly outcome: JobOutcome };

export interface PrinterModelOptions {
  readonly catalog: GcodeCatalog;
  readonly timers: ScaledTimers;
  readonly output: ModelOutput;
  readonly random: () => number;
  /**
   * Wall-clock time in epoch milliseconds for history start and end times. It is not scaled by
   * the speed, so that no time lies in the future, while the durations are simulated time.
   */
  readonly now: () => number;
  readonly jobEvents: ListenerSet<[JobEvent]>;
  readonly unknownCommand: UnknownCommandPolicy;
}

/** Print objects that a silent print keeps out of websocket status. */
const SILENCED_OBJECTS = ['print_stats', 'virtual_sdcard', 'display_status'];

/**
 * The scripted printer: Klippy, heaters, fans and a print job, changed by commands and advanced
 * by `step`. Commands throw an ApiError with Klipper's message when Klipper would reject them.
 */
export class PrinterModel implements GcodeMachine {
  readonly klippy = new KlippyHost();
  readonly heaters: HeaterBank;
  readonly parts = new Peripherals();
  readonly job = new PrintJob();
  private readonly history = new JobHistory();
  private readonly macros: MacroQueue;
  private readonly lifecycle: KlippyLifecycle;
  private silenced: StatusObjects | undefined;

  constructor(private readonly options: PrinterModelOptions) {
    this.heaters = new HeaterBank(options.random);
    this.macros = new MacroQueue(options.timers);
    this.lifecycle = new KlippyLifecycle({
      klippy: this.klippy,
      timers: options.timers,
      output: options.output,
      respond: (text) => this.respond(text),
      onShutdown: () => this.abortJob('klippy_shutdown'),
      onDisconnect: () => this.abortJob('klippy_disconnect'),
      onStartup: () => this.resetMachine(),
    });
  }

  get historyJobs(): readonly HistoryJob[] {
    return this.history.list();
  }

  status(): StatusObjects {
    return {
      webhooks: this.klippy.status(),
      ...this.heaters.status(),
      ...this.parts.status(this.heaters.extruder.temperature),
      ...this.job.status(),
    };
  }

  /** Status for subscriptions: during a silent print the print objects stay as they were. */
  subscribedStatus(): StatusObjects {
    const status = this.status();
    return this.silenced ? { ...status, ...cloneJson(this.silenced) } : status;
  }

  /** Starts or ends a silent print, whose print objects never reach websocket status updates. */
  setSilent(silent: boolean): void {
    if (!silent) {
      this.silenced = undefined;
      return;
    }
    const status = this.status();
    this.silenced = Object.fromEntries(SILENCED_OBJECTS.map((name) => [name, status[name] ?? {}]));
  }

  step(dtSeconds: number): void {
    this.heaters.step(dtSeconds, this.klippy.isReady);
    if (!this.klippy.isReady || !this.job.isActive) return;
    if (this.job.phase === 'heating' && this.heaters.allAtTarget) {
      this.job.startPrinting();
      this.options.jobEvents.emit({ type: 'printing' });
    }
    if (this.job.advance(dtSeconds, this.parts)) this.endJob('complete', 'completed');
  }

  startPrint(filename: string): void {
    this.requireReady();
    if (this.job.isActive) throw gcodeError('SD busy');
    const file = this.options.catalog.file(filename);
    if (!file) throw gcodeError('Unable to open file');
    this.respond(`File opened:${file.filename} Size:${String(file.metadata['size'] ?? 0)}`);
    this.respond('File selected');
    this.job.begin(file);
    this.setFirstLayerTargets(file.metadata);
    this.options.output.flushStatus();
    const job = this.history.add(file, this.options.now() / 1000);
    this.options.output.notify('notify_history_changed', [{ action: 'added', job }]);
    this.options.jobEvents.emit({ type: 'started' });
  }

  /** Queues PAUSE; the print reaches `paused` once the macro has run. */
  pausePrint(): void {
    this.requireReady();
    this.macros.enqueue(MACRO_DELAY_MS.pause, () => {
      if (this.job.printState === 'printing') this.job.pause();
      else if (this.job.printState === 'paused') this.respond('// Print already paused');
    });
  }

  resumePrint(): void {
    this.requireReady();
    this.macros.enqueue(MACRO_DELAY_MS.resume, () => {
      if (this.job.printState === 'paused') this.job.resume();
      else this.respond('// Print is not paused, resume aborted');
    });
  }

  cancelPrint(): void {
    this.requireReady();
    this.macros.enqueue(MACRO_DELAY_MS.cancel, () => {
      if (this.job.isActive) this.endJob('cancelled', 'cancelled');
    });
  }

  emergencyStop(reason = 'webhooks request'): void {
    this.lifecycle.shutdown(reason);
  }

  firmwareRestart(): void {
    this.lifecycle.restart();
  }

  /** Runs a script line by line and stops at the first error, which Klipper also echoes as `!!`. */
  runGcode(script: string): void {
    for (const line of script.split('\n')) {
      try {
        const command = GcodeCommand.parse(line);
        if (command) this.dispatch(command);
      } catch (error) {
        if (error instanceof ApiError) this.respond(`!! ${firstLine(error.message)}`);
        throw error;
      }
    }
  }

  respond(text: string): void {
    this.options.output.notify('notify_gcode_response', [text]);
  }

  dispose(): void {
    this.macros.dispose();
    this.lifecycle.dispose();
  }

  private dispatch(command: GcodeCommand): void {
    if (!this.klippy.isReady && !NOT_READY_COMMANDS.has(command.command)) {
      throw gcodeError(this.klippy.message);
    }
    const handler = gcodeHandler(command.command);
    if (handler) {
      handler(command, this);
      return;
    }
    // NOTE: Klipper itself only replies `// Unknown command:"X"` and lets the request succeed, as
    // the recorded sessions show for M191; the `error` policy is stricter on purpose.
    const message = `Unknown command:"${command.command}"`;
    if (this.options.unknownCommand === 'error') throw gcodeError(message);
    this.respond(`// ${message}`);
  }

  private requireReady(): void {
    if (!this.klippy.isReady) throw gcodeError(this.klippy.message);
  }

  private setFirstLayerTargets(metadata: Readonly<Record<string, unknown>>): void {
    const extruder = metadata['first_layer_extr_temp'];
    const bed = metadata['first_layer_bed_temp'];
    if (typeof extruder === 'number') this.heaters.extruder.setTarget(extruder);
    if (typeof bed === 'number') this.heaters.bed.setTarget(bed);
  }

  /** Ends the print the way its end G-code would: heaters and part fan off, history closed. */
  private endJob(state: 'complete' | 'cancelled', outcome: JobOutcome): void {
    this.job.finish(state);
    this.heaters.turnOff();
    this.parts.partFan = 0;
    this.finishHistory(outcome);
  }

  /** Called on shutdown and disconnect: queued macros are dropped and the print fails. */
  private abortJob(outcome: JobOutcome): void {
    this.macros.clear();
    if (!this.job.isActive) return;
    if (outcome === 'klippy_shutdown') this.job.finish('error', firstLine(this.klippy.message));
    this.finishHistory(outcome);
  }

  private finishHistory(outcome: JobOutcome): void {
    this.options.output.flushStatus();
    const job = this.history.finish(outcome, this.job.totals, this.options.now() / 1000);
    if (job) this.options.output.notify('notify_history_changed', [{ action: 'finished', job }]);
    this.options.jobEvents.emit({ type: 'ended', outcome });
  }

  private resetMachine(): void {
    this.heaters.turnOff();
    this.parts.reset();
    this.job.reset();
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}
