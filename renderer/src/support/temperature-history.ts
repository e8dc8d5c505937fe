import type {
  PrinterSummary,
  TemperatureHistoryView,
} from '../../../shared/control-api/printer-views.js';
import { RingBuffer } from './ring-buffer.js';

/** How far back the chart reaches. */
export const HISTORY_WINDOW_MS = 10 * 60 * 1000;

/** Shortest time between two recorded samples of a printer, the service's sample interval. */
export const SAMPLE_INTERVAL_MS = 2000;

/**
 * Samples kept per printer: ten minutes at one every two seconds, and room for the gaps between
 * them, which do not wait for the interval.
 */
const SAMPLES_PER_PRINTER = (2 * HISTORY_WINDOW_MS) / SAMPLE_INTERVAL_MS;

export interface TemperatureSample {
  at: number;
  /** Readings by sensor name; a sample without readings is a gap in the chart's lines. */
  readings: Readonly<Record<string, { value: number | null; target?: number }>>;
}

/** Converts a summary's current temperatures into the readings of one sample. */
export function readingsOf(
  temperatures: PrinterSummary['temperatures'],
): TemperatureSample['readings'] {
  return Object.fromEntries(
    temperatures.map((sensor) => [
      sensor.name,
      { value: sensor.value, ...(sensor.target === undefined ? {} : { target: sensor.target }) },
    ]),
  );
}

function isGap(sample: TemperatureSample): boolean {
  return Object.keys(sample.readings).length === 0;
}

/** Converts the service's history (columns by sensor) into samples, oldest first. */
export function samplesOf(view: TemperatureHistoryView): TemperatureSample[] {
  return view.times.map((at, index) => {
    const readings: Record<string, { value: number | null; target?: number }> = {};
    for (const sensor of view.sensors) {
      const value = sensor.values[index] ?? null;
      const target = sensor.targets?.[index] ?? null;
      if (value === null && target === null) continue;
      readings[sensor.name] = { value, ...(target === null ? {} : { target }) };
    }
    return { at, readings };
  });
}

/**
 * The last ten minutes of temperatures of every printer, fed by `printer.changed` and seeded
 * from the service's own history. Each printer has a ring buffer, so memory stays bounded
 * however fast the updates arrive. Only live readings are recorded, at most one every two
 * seconds; readings that are not current (`staleReadings`) or missing end the line with a gap.
 * Listeners hear of every change, with the printer's id.
 */
export class TemperatureHistory {
  private readonly buffers = new Map<string, RingBuffer<TemperatureSample>>();
  private readonly versions = new Map<string, number>();
  private readonly listeners = new Set<(printerId: string) => void>();

  constructor(private readonly now: () => number = Date.now) {}

  record(printer: PrinterSummary): void {
    const at = this.now();
    const buffer = this.buffers.get(printer.id);
    const newest = buffer?.peekNewest();
    if (printer.staleReadings || printer.temperatures.length === 0) {
      if (newest && !isGap(newest)) this.append(printer.id, { at, readings: {} });
      return;
    }
    if (newest && !isGap(newest) && at - newest.at < SAMPLE_INTERVAL_MS) return;
    this.append(printer.id, { at, readings: readingsOf(printer.temperatures) });
  }

  /**
   * Replaces the printer's samples up to the newest one of `view`, the service's history, and
   * keeps the samples recorded here after it.
   */
  seed(printerId: string, view: TemperatureHistoryView): void {
    const seeded = samplesOf(view);
    const newestSeeded = seeded.at(-1)?.at ?? Number.NEGATIVE_INFINITY;
    const later = this.samples(printerId).filter((sample) => sample.at > newestSeeded);
    const buffer = this.bufferOf(printerId);
    buffer.clear();
    for (const sample of [...seeded, ...later]) buffer.push(sample);
    this.changed(printerId);
  }

  forget(printerId: string): void {
    this.buffers.delete(printerId);
    this.versions.delete(printerId);
    for (const listener of [...this.listeners]) listener(printerId);
  }

  samples(printerId: string): TemperatureSample[] {
    return this.buffers.get(printerId)?.toArray() ?? [];
  }

  /** Returns a number that changes with every sample of the printer, for React's external stores. */
  version(printerId: string): number {
    return this.versions.get(printerId) ?? 0;
  }

  subscribe(listener: (printerId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private append(printerId: string, sample: TemperatureSample): void {
    const buffer = this.bufferOf(printerId);
    buffer.push(sample);
    buffer.dropWhile((oldest) => oldest.at < sample.at - HISTORY_WINDOW_MS);
    this.changed(printerId);
  }

  private changed(printerId: string): void {
    this.versions.set(printerId, (this.versions.get(printerId) ?? 0) + 1);
    for (const listener of [...this.listeners]) listener(printerId);
  }

  private bufferOf(printerId: string): RingBuffer<TemperatureSample> {
    let buffer = this.buffers.get(printerId);
    if (!buffer) {
      buffer = new RingBuffer(SAMPLES_PER_PRINTER);
      this.buffers.set(printerId, buffer);
    }
    return buffer;
  }
}
