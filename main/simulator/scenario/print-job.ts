import { CodedError } from '../../support/coded-error.js';
import type { GcodeFile } from '../gcode-catalog.js';
import type { StatusObjects } from '../object-status.js';
import { round } from './thermal.js';

/** `print_stats.state` values Klipper reports. */
export type PrintState = 'standby' | 'printing' | 'paused' | 'complete' | 'cancelled' | 'error';

/** Allowed next states for each print state. */
const PRINT_TRANSITIONS: Readonly<Record<PrintState, readonly PrintState[]>> = {
  standby: ['printing'],
  printing: ['paused', 'complete', 'cancelled', 'error'],
  paused: ['printing', 'cancelled', 'error'],
  complete: ['printing'],
  cancelled: ['printing'],
  error: ['printing'],
};

/** A print first waits for its heaters, then works through the file. */
export type JobPhase = 'heating' | 'printing';

/** Rates that the motion factors (M220, M221) apply to the print. */
export interface PrintFactors {
  readonly speedFactor: number;
  readonly extrudeFactor: number;
}

interface ActiveFile {
  readonly file: GcodeFile;
  readonly size: number;
  readonly startByte: number;
  readonly endByte: number;
  readonly totalLayers: number;
  readonly estimatedSeconds: number;
  readonly filamentTotal: number;
}

/**
 * The print as Klipper's `print_stats`, `virtual_sdcard`, `display_status`, `pause_resume`,
 * `idle_timeout` and `exclude_object` objects report it.
 */
export class PrintJob {
  private state: PrintState = 'standby';
  private active: ActiveFile | undefined;
  private phaseValue: JobPhase = 'heating';
  private filePath: string | null = null;
  private position = 0;
  private totalDuration = 0;
  private printDuration = 0;
  private filamentUsed = 0;
  private message = '';
  private excluded: string[] = [];
  private displayMessage: string | null = null;

  get printState(): PrintState {
    return this.state;
  }

  get phase(): JobPhase {
    return this.phaseValue;
  }

  /** A print is running or paused, so the SD card is busy. */
  get isActive(): boolean {
    return this.state === 'printing' || this.state === 'paused';
  }

  get file(): GcodeFile | undefined {
    return this.active?.file;
  }

  /** Totals as the job history records them. */
  get totals(): { print_duration: number; total_duration: number; filament_used: number } {
    return {
      print_duration: this.printDuration,
      total_duration: this.totalDuration,
      filament_used: this.filamentUsed,
    };
  }

  begin(file: GcodeFile): void {
    this.moveTo('printing');
    this.active = describeFile(file);
    this.phaseValue = 'heating';
    this.filePath = `/home/pi/printer_data/gcodes/${file.filename}`;
    this.position = this.active.startByte;
    this.totalDuration = 0;
    this.printDuration = 0;
    this.filamentUsed = 0;
    this.message = '';
    this.excluded = [];
  }

  startPrinting(): void {
    this.phaseValue = 'printing';
  }

  pause(): void {
    this.moveTo('paused');
  }

  resume(): void {
    this.moveTo('printing');
  }

  /** Ends the print; a cancelled print unloads the file, as Klipper's CANCEL_PRINT does. */
  finish(outcome: 'complete' | 'cancelled' | 'error', message = ''): void {
    this.moveTo(outcome);
    this.message = message;
    if (outcome === 'complete' && this.active) this.position = this.active.size;
    if (outcome === 'cancelled') {
      this.filePath = null;
      this.position = 0;
    }
  }

  /** Clears everything, as a Klippy restart does. */
  reset(): void {
    Object.assign(this, new PrintJob());
  }

  exclude(name: string): void {
    if (!this.excluded.includes(name)) this.excluded.push(name);
  }

  clearExcluded(): void {
    this.excluded = [];
  }

  get excludedObjects(): readonly string[] {
    return this.excluded;
  }

  /** Sets `display_status.message`, as M117 does; null clears it. */
  setDisplayMessage(message: string | null): void {
    this.displayMessage = message;
  }

  /** Advances `dtSeconds`; returns true when the print has reached the end of the file. */
  advance(dtSeconds: number, factors: PrintFactors): boolean {
    if (!this.isActive || !this.active) return false;
    this.totalDuration += dtSeconds;
    if (this.state !== 'printing' || this.phaseValue !== 'printing') return false;
    const { startByte, endByte, estimatedSeconds, filamentTotal } = this.active;
    const bytes = ((endByte - startByte) / estimatedSeconds) * factors.speedFactor * dtSeconds;
    const before = this.position;
    this.position = Math.min(endByte, this.position + bytes);
    this.printDuration += dtSeconds;
    this.filamentUsed +=
      ((this.position - before) / (endByte - startByte)) * filamentTotal * factors.extrudeFactor;
    return this.position >= endByte;
  }

  status(): StatusObjects {
    const progress =
      this.active && this.filePath !== null ? round(this.position / this.active.size, 4) : 0;
    return {
      print_stats: {
        filename: this.active?.file.filename ?? '',
        total_duration: round(this.totalDuration, 3),
        print_duration: round(this.printDuration, 3),
        filament_used: round(this.filamentUsed, 3),
        state: this.state,
        message: this.message,
        info: this.layerInfo(),
      },
      virtual_sdcard: {
        file_path: this.filePath,
        progress,
        is_active: this.state === 'printing',
        file_position: Math.floor(this.position),
        file_size: this.active?.size ?? 0,
      },
      display_status: { progress, message: this.displayMessage },
      pause_resume: { is_paused: this.state === 'paused' },
      idle_timeout: {
        state: this.state === 'printing' ? 'Printing' : 'Ready',
        printing_time: round(this.totalDuration, 3),
      },
      exclude_object: this.excludeStatus(),
    };
  }

  private layerInfo(): { total_layer: number | null; current_layer: number | null } {
    if (!this.active) return { total_layer: null, current_layer: null };
    const { startByte, endByte, totalLayers } = this.active;
    if (this.phaseValue === 'heating') return { total_layer: totalLayers, current_layer: 0 };
    const fraction = (this.position - startByte) / (endByte - startByte);
    return {
      total_layer: totalLayers,
      current_layer: Math.min(totalLayers, 1 + Math.floor(fraction * totalLayers)),
    };
  }

  private excludeStatus(): Record<string, unknown> {
    const names = this.active?.file.objects ?? [];
    return {
      objects: names.map((name) => ({ name })),
      excluded_objects: [...this.excluded],
      current_object:
        this.state === 'printing'
          ? (names.find((name) => !this.excluded.includes(name)) ?? null)
          : null,
    };
  }

  private moveTo(next: PrintState): void {
    if (!PRINT_TRANSITIONS[this.state].includes(next)) {
      throw new CodedError('invalid_transition', `Print cannot go from ${this.state} to ${next}`);
    }
    this.state = next;
  }
}

function describeFile(file: GcodeFile): ActiveFile {
  const number = (key: string, fallback: number): number => {
    const value = file.metadata[key];
    return typeof value === 'number' && value > 0 ? value : fallback;
  };
  const size = number('size', 1);
  const endByte = Math.min(size, number('gcode_end_byte', size));
  const startByte = Math.min(number('gcode_start_byte', 0), endByte - 1);
  return {
    file,
    size,
    startByte: Math.max(0, startByte),
    endByte,
    totalLayers: number('layer_count', 1),
    estimatedSeconds: number('estimated_time', 600),
    filamentTotal: number('filament_total', 0),
  };
}
