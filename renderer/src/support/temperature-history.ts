import type { PrinterSummary } from '../../../shared/control-api/printer-views.js';
import { RingBuffer } from './ring-buffer.js';

/** How far back the chart reaches. */
export const HISTORY_WINDOW_MS = 10 * 60 * 1000;

/** Samples kept per printer: ten minutes at two per second, the fastest watch interval. */
const SAMPLES_PER_PRINTER = 1200;

export interface TemperatureSample {
  at: number;
  readings: Readonly<Record<string, { value: number | null; target?: number }>>;
}

/**
 * The last ten minutes of temperatures of every printer, fed by `printer.changed`. Each printer
 * has a ring buffer, so memory stays bounded however fast the updates arrive. Listeners hear of
 * every new sample, with the printer's id.
 */
export class TemperatureHistory {
  private readonly buffers = new Map<string, RingBuffer<TemperatureSample>>();
  private readonly versions = new Map<string, number>();
  private readonly listeners = new Set<(printerId: string) => void>();

  constructor(private readonly now: () => number = Date.now) {}

  record(printer: PrinterSummary): void {
    if (printer.temperatures.length === 0) return;
    const at = this.now();
    const readings: TemperatureSample['readings'] = Object.fromEntries(
      printer.temperatures.map((sensor) => [
        sensor.name,
        { value: sensor.value, ...(sensor.target === undefined ? {} : { target: sensor.target }) },
      ]),
    );
    const buffer = this.bufferOf(printer.id);
    buffer.push({ at, readings });
    buffer.dropWhile((sample) => sample.at < at - HISTORY_WINDOW_MS);
    this.versions.set(printer.id, (this.versions.get(printer.id) ?? 0) + 1);
    for (const listener of [...this.listeners]) listener(printer.id);
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

  private bufferOf(printerId: string): RingBuffer<TemperatureSample> {
    let buffer = this.buffers.get(printerId);
    if (!buffer) {
      buffer = new RingBuffer(SAMPLES_PER_PRINTER);
      this.buffers.set(printerId, buffer);
    }
    return buffer;
  }
}
