import type { ObjectFieldMap } from './input.js';

/** `available_heaters` and `available_sensors` of Klipper's `heaters` object. */
export interface HeaterLists {
  availableHeaters: readonly string[];
  availableSensors: readonly string[];
}

export interface ManifestInput {
  /** Result of `printer.objects.list`: every object Klipper has loaded. */
  objects: readonly string[];
  heaters?: HeaterLists | null;
  /** Extra entries, each `object` or `object.field`. A `*` in the object name matches any text. */
  include?: readonly string[];
  /** Entries removed after the defaults and `include`: a whole object, or one of its fields. */
  exclude?: readonly string[];
}

export interface SubscriptionManifest {
  /** Objects and fields to pass to `printer.objects.subscribe`. */
  objects: ObjectFieldMap;
  /** Subscribed heaters that accept a target temperature, sorted. */
  heaters: string[];
  /** Subscribed sensor-like objects (heaters, sensors, fans, LEDs, pins), sorted. */
  sensors: string[];
  /** Names of the loaded `gcode_macro` objects without the prefix, sorted. */
  macros: string[];
}

const WEBHOOKS_FIELDS = ['state', 'state_message'];
const HEATER_FIELDS = ['temperature', 'target'];
const MACRO_PREFIX = 'gcode_macro ';

/** Non-sensor objects subscribed by default, with their fields (`null` = all fields). */
const STATUS_OBJECTS: Readonly<Record<string, readonly string[] | null>> = {
  display_status: null,
  print_stats: null,
  virtual_sdcard: null,
  idle_timeout: null,
  toolhead: null,
  dual_carriage: null,
  exclude_object: null,
  gcode_move: ['extrude_factor', 'speed_factor', 'homing_origin'],
  'gcode_macro TIMELAPSE_TAKE_FRAME': null,
};

/** Sensor-like object types (the first word of the name) and the fields to subscribe. */
const SENSOR_TYPE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  heater_bed: HEATER_FIELDS,
  heater_generic: HEATER_FIELDS,
  temperature_fan: ['temperature', 'target', 'speed'],
  temperature_sensor: ['temperature'],
  fan: ['speed'],
  fan_generic: ['speed'],
  heater_fan: ['speed'],
  controller_fan: ['speed'],
  led: ['color_data'],
  neopixel: ['color_data'],
  dotstar: ['color_data'],
  filament_switch_sensor: ['filament_detected', 'enabled'],
  filament_motion_sensor: ['filament_detected', 'enabled'],
  output_pin: ['value'],
};

const HEATER_TYPES = new Set(['heater_bed', 'heater_generic']);

/** Object name to fields while the manifest is built, where `null` means all fields. */
type FieldTable = Map<string, string[] | null>;

/**
 * Builds the subscription from what the printer has loaded. Only loaded objects are subscribed,
 * except `webhooks`, which is always subscribed for Klippy's state. Sensor-like objects whose
 * second word starts with `_` are hidden by Klipper convention and skipped unless included.
 */
export function buildSubscriptionManifest(input: ManifestInput): SubscriptionManifest {
  const loaded = new Set(input.objects);
  const objects: FieldTable = new Map([['webhooks', [...WEBHOOKS_FIELDS]]]);
  const sensors = new Set<string>();
  const heaters = new Set<string>();

  for (const name of input.objects) addDefault(objects, name, sensors, heaters);
  addHeaterLists(objects, input.heaters, loaded, sensors, heaters);
  for (const entry of input.include ?? []) applyInclude(objects, entry, input.objects, sensors);
  for (const entry of input.exclude ?? []) applyExclude(objects, entry);

  const subscribed = (name: string): boolean => objects.has(name);
  return {
    objects: Object.fromEntries(objects),
    heaters: [...heaters].filter(subscribed).sort(),
    sensors: [...sensors].filter(subscribed).sort(),
    macros: macroNames(input.objects),
  };
}

export function objectType(name: string): string {
  return name.split(' ', 1)[0] ?? name;
}

function sensorFields(name: string): readonly string[] | undefined {
  const type = objectType(name);
  if (/^extruder\d*$/.test(type)) return HEATER_FIELDS;
  return SENSOR_TYPE_FIELDS[type];
}

function isHidden(name: string): boolean {
  const secondWord = name.split(' ')[1];
  return secondWord !== undefined && secondWord.startsWith('_');
}

function isHeaterName(name: string): boolean {
  const type = objectType(name);
  return /^extruder\d*$/.test(type) || HEATER_TYPES.has(type);
}

function addDefault(
  objects: FieldTable,
  name: string,
  sensors: Set<string>,
  heaters: Set<string>,
): void {
  const status = STATUS_OBJECTS[name];
  if (status !== undefined) {
    objects.set(name, status === null ? null : [...status]);
    return;
  }
  const fields = sensorFields(name);
  if (!fields || isHidden(name)) return;
  objects.set(name, [...fields]);
  sensors.add(name);
  if (isHeaterName(name)) heaters.add(name);
}

/** Adds heaters and sensors the type table does not know, such as `temperature_combined`. */
function addHeaterLists(
  objects: FieldTable,
  lists: HeaterLists | null | undefined,
  loaded: ReadonlySet<string>,
  sensors: Set<string>,
  heaters: Set<string>,
): void {
  if (!lists) return;
  const eligible = (name: string): boolean => loaded.has(name) && !isHidden(name);
  for (const name of lists.availableHeaters.filter(eligible)) {
    if (!objects.has(name)) objects.set(name, [...HEATER_FIELDS]);
    sensors.add(name);
    heaters.add(name);
  }
  for (const name of lists.availableSensors.filter(eligible)) {
    if (!objects.has(name)) objects.set(name, [...(sensorFields(name) ?? ['temperature'])]);
    sensors.add(name);
  }
}

function applyInclude(
  objects: FieldTable,
  entry: string,
  loaded: readonly string[],
  sensors: Set<string>,
): void {
  const { object, field } = splitEntry(entry);
  for (const name of loaded.filter(matcher(object))) {
    if (field === null) {
      objects.set(name, defaultFields(name));
      if (sensorFields(name)) sensors.add(name);
      continue;
    }
    addField(objects, name, field);
  }
}

function applyExclude(objects: FieldTable, entry: string): void {
  const { object, field } = splitEntry(entry);
  for (const name of [...objects.keys()].filter(matcher(object))) {
    if (name === 'webhooks') continue;
    if (field === null) {
      objects.delete(name);
      continue;
    }
    const fields = objects.get(name);
    // NOTE: a field cannot be excluded from an object subscribed with all fields (`null`),
    // because Moonraker has no "all but" form. Such an entry has no effect.
    if (!fields) continue;
    const remaining = fields.filter((existing) => existing !== field);
    if (remaining.length === 0) objects.delete(name);
    else objects.set(name, remaining);
  }
}

function defaultFields(name: string): string[] | null {
  const status = STATUS_OBJECTS[name];
  if (status !== undefined) return status === null ? null : [...status];
  const fields = sensorFields(name);
  return fields ? [...fields] : null;
}

function addField(objects: FieldTable, name: string, field: string): void {
  const fields = objects.get(name);
  if (fields === null) return;
  if (fields === undefined) objects.set(name, [field]);
  else if (!fields.includes(field)) fields.push(field);
}

/** Splits `object` or `object.field`, dropping surrounding whitespace and quotes. */
function splitEntry(entry: string): { object: string; field: string | null } {
  const cleaned = entry.trim().replace(/^["']|["']$/g, '');
  const dot = cleaned.lastIndexOf('.');
  if (dot <= 0) return { object: cleaned, field: null };
  return { object: cleaned.slice(0, dot), field: cleaned.slice(dot + 1) || null };
}

function matcher(pattern: string): (name: string) => boolean {
  if (!pattern.includes('*')) return (name) => name === pattern;
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  const regex = new RegExp(`^${escaped.join('.*')}$`);
  return (name) => regex.test(name);
}

function macroNames(objects: readonly string[]): string[] {
  return objects
    .filter((name) => name.startsWith(MACRO_PREFIX))
    .map((name) => name.slice(MACRO_PREFIX.length))
    .sort();
}
