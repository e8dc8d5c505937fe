import type { TemperatureHistoryView } from '../../../shared/control-api/printer-views.js';
import type { BridgeSnapshot } from '../../bridge/bridge-snapshot.js';
import type { TemperatureReading } from '../../bridge/printer-facts.js';

/** Time span that the history covers, in milliseconds. */
export const TEMPERATURE_WINDOW_MS = 10 * 60_000;

/** Time between two samples, in milliseconds. */
export const TEMPERATURE_SAMPLE_INTERVAL_MS = 2_000;

/**
 * Sensors recorded per printer. A printer with more records the first ones it reports, in the
 * snapshot's name order; its live readings still show every sensor.
 */
export const MAX_HISTORY_SENSORS = 16;

/** Values and targets of one sensor, aligned with the history's times; NaN where there was none. */
interface SensorColumns {
  values: Float32Array;
  targets: Float32Array;
  /** Sequence number of the newest sample that had this sensor. */
  lastSequence: number;
}

/**
 * Returns the snapshot's temperatures while Moonraker and Klippy are both connected, else
 * undefined. The store keeps the last values it received after a disconnect, so those are not
 * current readings.
 */
export function liveReadings(
  snapshot: BridgeSnapshot | undefined,
): readonly TemperatureReading[] | undefined {
  if (!snapshot?.temperatures || snapshot.temperatures.length === 0) return undefined;
  if (snapshot.moonraker.state !== 'ready' || snapshot.klippy?.state !== 'ready') return undefined;
  return snapshot.temperatures;
}

/**
 * The temperatures of one printer over the last `TEMPERATURE_WINDOW_MS`, in a ring of typed
 * arrays: one time column and a value and a target column per sensor. A full ring of 300
 * samples for 16 sensors takes about 41 KB of array data, so 200 printers take about 8.2 MB at
 * most. A sample without readings is a gap, recorded once when the readings stop being live.
 */
export class TemperatureHistory {
  /** Epoch milliseconds of the newest sample taken while the readings were live. */
  lastLiveAt: number | undefined;
  private readonly capacity: number;
  private readonly times: Float64Array;
  private readonly sensors = new Map<string, SensorColumns>();
  private start = 0;
  private count = 0;
  /** Number of samples ever pushed; the newest sample has `sequence - 1`. */
  private sequence = 0;
  /** The readings of the newest sample, or undefined when it is a gap or there is none. */
  private latest: readonly TemperatureReading[] | undefined;
  /** Whether the bridge reported a change since the last sample. */
  private changed = true;

  constructor(
    windowMs = TEMPERATURE_WINDOW_MS,
    private readonly intervalMs = TEMPERATURE_SAMPLE_INTERVAL_MS,
  ) {
    this.capacity = Math.max(1, Math.ceil(windowMs / intervalMs));
    this.times = new Float64Array(this.capacity);
  }

  /** Notes that the printer's snapshot may read differently, so the next sample reads it again. */
  markChanged(): void {
    this.changed = true;
  }

  /**
   * Takes one sample at `at` (epoch ms). The snapshot is read only after a change. Without one,
   * the newest readings repeat, so a steady printer's line goes on without a snapshot rebuild
   * every two seconds. Readings that are not live end the line with one gap.
   */
  sample(at: number, readSnapshot: () => BridgeSnapshot | undefined): void {
    if (this.changed) {
      this.changed = false;
      this.latest = liveReadings(readSnapshot());
    }
    if (this.latest) {
      this.push(at, this.latest);
      this.lastLiveAt = at;
    } else if (this.count > 0 && !this.newestIsGap()) {
      this.push(at, []);
    }
  }

  /** Returns the samples of the last `TEMPERATURE_WINDOW_MS` before `now`, oldest first. */
  view(now: number, windowMs = this.capacity * this.intervalMs): TemperatureHistoryView {
    const indexes: number[] = [];
    for (let offset = 0; offset < this.count; offset += 1) {
      const index = (this.start + offset) % this.capacity;
      if ((this.times[index] ?? 0) >= now - windowMs) indexes.push(index);
    }
    const sensors = [...this.sensors].map(([name, columns]) => {
      const values = indexes.map((index) => numberOrNull(columns.values[index]));
      const targets = indexes.map((index) => numberOrNull(columns.targets[index]));
      const hasTarget = targets.some((target) => target !== null);
      return { name, values, ...(hasTarget ? { targets } : {}) };
    });
    return {
      times: indexes.map((index) => this.times[index] ?? 0),
      sensors: sensors.filter((sensor) => sensor.values.some((value) => value !== null)),
    };
  }

  private push(at: number, readings: readonly TemperatureReading[]): void {
    const index = (this.start + this.count) % this.capacity;
    if (this.count < this.capacity) this.count += 1;
    else this.start = (this.start + 1) % this.capacity;
    this.times[index] = at;
    for (const columns of this.sensors.values()) {
      columns.values[index] = Number.NaN;
      columns.targets[index] = Number.NaN;
    }
    for (const reading of readings) {
      const columns = this.columnsOf(reading.name);
      if (!columns) continue;
      columns.values[index] = reading.value ?? Number.NaN;
      columns.targets[index] = reading.target ?? Number.NaN;
      columns.lastSequence = this.sequence;
    }
    this.sequence += 1;
    this.dropVanishedSensors();
  }

  private columnsOf(name: string): SensorColumns | undefined {
    const existing = this.sensors.get(name);
    if (existing) return existing;
    if (this.sensors.size >= MAX_HISTORY_SENSORS) return undefined;
    const columns: SensorColumns = {
      values: new Float32Array(this.capacity).fill(Number.NaN),
      targets: new Float32Array(this.capacity).fill(Number.NaN),
      lastSequence: this.sequence,
    };
    this.sensors.set(name, columns);
    return columns;
  }

  /** Frees the columns of a sensor that no sample in the ring has any more. */
  private dropVanishedSensors(): void {
    for (const [name, columns] of this.sensors) {
      if (this.sequence - columns.lastSequence > this.capacity) this.sensors.delete(name);
    }
  }

  private newestIsGap(): boolean {
    const newest = (this.start + this.count - 1) % this.capacity;
    for (const columns of this.sensors.values()) {
      if (!Number.isNaN(columns.values[newest] ?? Number.NaN)) return false;
    }
    return true;
  }
}

/** Returns a stored Float32 value rounded to one decimal, as the readings have, or null for NaN. */
function numberOrNull(value: number | undefined): number | null {
  if (value === undefined || Number.isNaN(value)) return null;
  return Math.round(value * 10) / 10;
}
