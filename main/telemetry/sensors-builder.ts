import type { SensorEntry, SensorsPayload } from '../../shared/contract/sensors.js';
import { isoSeconds } from '../../shared/contract/time.js';
import type { Clock } from '../support/clock.js';
import { resolveSensorFilterSettings, selectSensors } from './sensor-filter.js';
import type { SensorFilterSettings } from './sensor-filter.js';
import { classifySensor, sensorStatus } from './sensor-registry.js';
import type { SensorKind, SensorReading } from './sensor-registry.js';

type ObjectFields = Readonly<Record<string, unknown>>;

/** The part of the printer state store that the sensors channel reads. */
export interface ObjectStateReader {
  objectNames(): Iterable<string>;
  get(name: string): ObjectFields | undefined;
}

export type SensorsCadence = SensorsPayload['cadence'];

export interface SensorsFrame {
  payload: SensorsPayload;
  /** Key that changes exactly when the sensors array changes, ignoring the cadence block. */
  changeKey: string;
}

export interface SensorsBuilderOptions {
  clock: Clock;
  filter?: Partial<SensorFilterSettings>;
}

interface ReadingHistory {
  kind: SensorKind;
  fingerprint: string;
  changedAt: number;
}

/**
 * Builds the sensors channel body from the printer state. It remembers when each sensor's value,
 * target or status last changed, which is the entry's `lastUpdated`. Between two builds,
 * `noteChanges` keeps those times exact for the sensors of the last build.
 */
export class SensorsBuilder {
  private readonly clock: Clock;
  private filter: SensorFilterSettings;
  private readonly history = new Map<string, ReadingHistory>();

  constructor(options: SensorsBuilderOptions) {
    this.clock = options.clock;
    this.filter = resolveSensorFilterSettings(options.filter);
  }

  /** Replaces the filter, as when the cloud pushes new sensor limits. */
  setFilter(filter: Partial<SensorFilterSettings>): void {
    this.filter = resolveSensorFilterSettings(filter);
  }

  build(store: ObjectStateReader, cadence: SensorsCadence): SensorsFrame {
    const kinds = new Map<string, SensorKind>();
    for (const name of store.objectNames()) {
      const kind = classifySensor(name);
      if (kind && store.get(name)) kinds.set(name, kind);
    }

    const names = selectSensors(kinds.keys(), this.filter).sort(compareCodePoints);
    const sensors: SensorEntry[] = [];
    for (const name of names) {
      const kind = kinds.get(name);
      const fields = store.get(name);
      if (kind && fields) sensors.push(this.entryFor(store, name, kind, fields));
    }
    this.forgetMissing(new Set(names));
    return { payload: { cadence, sensors }, changeKey: JSON.stringify(sensors) };
  }

  /**
   * Records the time of a reading change for the sensors of the last build among `names`, the
   * objects an input changed. A sensor that the last build did not report is dated when a
   * build first reports it.
   */
  noteChanges(store: ObjectStateReader, names: Iterable<string>): void {
    for (const name of names) this.noteReading(store, name);
  }

  /** Forgets every `lastUpdated`, as after a telemetry restart. */
  reset(): void {
    this.history.clear();
  }

  private noteReading(store: ObjectStateReader, name: string): void {
    const history = this.history.get(name);
    const fields = store.get(name);
    if (!history || !fields) return;
    const reading = history.kind.read(fields, configSection(store, name));
    this.changedAt(name, history.kind, reading, sensorStatus(fields));
  }

  private entryFor(
    store: ObjectStateReader,
    name: string,
    kind: SensorKind,
    fields: ObjectFields,
  ): SensorEntry {
    const reading = kind.read(fields, configSection(store, name));
    const status = sensorStatus(fields);
    return {
      channel: name,
      type: kind.type,
      unit: kind.unit,
      value: reading.value,
      sourceObject: name,
      ...optionalFields(reading),
      status,
      lastUpdated: isoSeconds(this.changedAt(name, kind, reading, status)),
    };
  }

  private changedAt(name: string, kind: SensorKind, reading: SensorReading, status: string) {
    const fingerprint = JSON.stringify([reading.value, reading.target ?? null, status]);
    const previous = this.history.get(name);
    if (previous?.fingerprint === fingerprint) return previous.changedAt;

    const changedAt = this.clock.now();
    this.history.set(name, { kind, fingerprint, changedAt });
    return changedAt;
  }

  private forgetMissing(present: ReadonlySet<string>): void {
    for (const name of this.history.keys()) {
      if (!present.has(name)) this.history.delete(name);
    }
  }
}

/** Copies the optional fields that the reading has, so absent ones leave no `undefined` key. */
function optionalFields(reading: SensorReading): Pick<SensorEntry, 'target' | 'isHeating' | 'pwm'> {
  const fields: Pick<SensorEntry, 'target' | 'isHeating' | 'pwm'> = {};
  if (reading.target !== undefined) fields.target = reading.target;
  if (reading.isHeating !== undefined) fields.isHeating = reading.isHeating;
  if (reading.pwm !== undefined) fields.pwm = reading.pwm;
  return fields;
}

/** Klipper's `configfile.settings` stores each config section under its lower-cased name. */
function configSection(store: ObjectStateReader, name: string): ObjectFields | undefined {
  const settings = store.get('configfile')?.['settings'];
  if (typeof settings !== 'object' || settings === null) return undefined;

  const section = (settings as Record<string, unknown>)[name.toLowerCase()];
  return typeof section === 'object' && section !== null ? (section as ObjectFields) : undefined;
}

/** Orders names by UTF-16 code units, the same order as a plain string sort. */
function compareCodePoints(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}
