import { describe, expect, it } from 'vitest';

import { sensorsPayloadSchema } from '../../shared/contract/sensors.js';
import { FakeClock } from '../../test/support/fake-clock.js';
import { SensorsBuilder } from './sensors-builder.js';
import type { ObjectStateReader, SensorsCadence } from './sensors-builder.js';

type Fields = Record<string, unknown>;

class MapStore implements ObjectStateReader {
  readonly objects = new Map<string, Fields>();

  constructor(objects: Record<string, Fields | undefined>) {
    for (const [name, fields] of Object.entries(objects)) {
      if (fields) this.objects.set(name, fields);
    }
  }

  objectNames(): Iterable<string> {
    return this.objects.keys();
  }

  get(name: string): Fields | undefined {
    return this.objects.get(name);
  }
}

const IDLE: SensorsCadence = { mode: 'idle', intervalSeconds: 30 };

function printer(): MapStore {
  return new MapStore({
    toolhead: { extruder: 'extruder' },
    heater_bed: { temperature: 59.7, target: 60 },
    fan: { speed: 0.505 },
    extruder: { temperature: 204.93, target: 215 },
    webhooks: { state: 'ready' },
  });
}

describe('SensorsBuilder', () => {
  describe('build', () => {
    it('builds a valid body sorted by channel', () => {
      const clock = new FakeClock();
      const frame = new SensorsBuilder({ clock }).build(printer(), IDLE);

      expect(sensorsPayloadSchema.safeParse(frame.payload).success).toBe(true);
      expect(frame.payload.sensors.map((entry) => entry.channel)).toEqual([
        'extruder',
        'fan',
        'heater_bed',
      ]);
      expect(frame.payload.cadence).toEqual(IDLE);
    });

    it('writes entries in the contract key order', () => {
      const clock = new FakeClock();
      const [extruder, fan] = new SensorsBuilder({ clock }).build(printer(), IDLE).payload.sensors;

      expect(extruder).toEqual({
        channel: 'extruder',
        type: 'heater',
        unit: 'celsius',
        value: 204,
        sourceObject: 'extruder',
        target: 215,
        isHeating: true,
        status: 'ok',
        lastUpdated: '2026-01-01T12:00:00+00:00',
      });
      expect(Object.keys(extruder ?? {})).toEqual([
        'channel',
        'type',
        'unit',
        'value',
        'sourceObject',
        'target',
        'isHeating',
        'status',
        'lastUpdated',
      ]);
      expect(fan?.value).toBe(50);
      expect(fan).not.toHaveProperty('target');
    });

    it('keeps the change key when only the cadence changes', () => {
      const clock = new FakeClock();
      const builder = new SensorsBuilder({ clock });
      const store = printer();
      const first = builder.build(store, IDLE);
      const second = builder.build(store, { mode: 'watch', intervalSeconds: 1 });

      expect(second.changeKey).toBe(first.changeKey);
      expect(second.payload.cadence.mode).toBe('watch');
    });

    it('keeps the change key while floored values stay the same', () => {
      const clock = new FakeClock();
      const builder = new SensorsBuilder({ clock });
      const store = printer();
      const first = builder.build(store, IDLE);
      store.objects.set('extruder', { temperature: 204.1, target: 215 });
      clock.advance(5_000);

      expect(builder.build(store, IDLE).changeKey).toBe(first.changeKey);
    });

    it('moves lastUpdated only for the sensor that changed', () => {
      const clock = new FakeClock();
      const builder = new SensorsBuilder({ clock });
      const store = printer();
      const first = builder.build(store, IDLE);
      clock.advance(10_000);
      store.objects.set('extruder', { temperature: 206.2, target: 215 });
      const second = builder.build(store, IDLE);

      expect(second.changeKey).not.toBe(first.changeKey);
      expect(second.payload.sensors[0]?.lastUpdated).toBe('2026-01-01T12:00:10+00:00');
      expect(second.payload.sensors[2]?.lastUpdated).toBe('2026-01-01T12:00:00+00:00');
    });

    it('moves lastUpdated when the status changes', () => {
      const clock = new FakeClock();
      const builder = new SensorsBuilder({ clock });
      const store = printer();
      builder.build(store, IDLE);
      clock.advance(3_000);
      store.objects.set('fan', { speed: 0.505, state: 'stalled' });
      const fan = builder.build(store, IDLE).payload.sensors[1];

      expect(fan?.status).toBe('stalled');
      expect(fan?.lastUpdated).toBe('2026-01-01T12:00:03+00:00');
    });

    it('reads the pwm flag from configfile settings', () => {
      const clock = new FakeClock();
      const store = printer();
      store.objects.set('output_pin Light', { value: 0.5 });
      store.objects.set('configfile', { settings: { 'output_pin light': { pwm: true } } });
      const builder = new SensorsBuilder({
        clock,
        filter: { allowlist: ['output_pin light'], maxCustomSensors: 1 },
      });
      const pin = builder.build(store, IDLE).payload.sensors.find((entry) => entry.pwm);

      expect(pin?.channel).toBe('output_pin Light');
      expect(pin?.value).toBe(50);
    });

    it('applies the filter settings', () => {
      const clock = new FakeClock();
      const store = printer();
      store.objects.set('temperature_sensor chamber', { temperature: 30 });
      const builder = new SensorsBuilder({ clock });
      expect(builder.build(store, IDLE).payload.sensors).toHaveLength(3);

      builder.setFilter({ allowlist: ['temperature_sensor chamber'], maxCustomSensors: 1 });
      const channels = builder.build(store, IDLE).payload.sensors.map((entry) => entry.channel);
      expect(channels).toContain('temperature_sensor chamber');
    });

    it('reports an empty list without sensors', () => {
      const clock = new FakeClock();
      const frame = new SensorsBuilder({ clock }).build(new MapStore({}), IDLE);
      expect(frame.payload.sensors).toEqual([]);
      expect(sensorsPayloadSchema.safeParse(frame.payload).success).toBe(true);
    });
  });

  describe('noteChanges', () => {
    it('dates a change between two builds', () => {
      const clock = new FakeClock();
      const builder = new SensorsBuilder({ clock });
      const store = printer();
      builder.build(store, IDLE);
      clock.advance(5_000);
      store.objects.set('extruder', { temperature: 206.2, target: 215 });
      builder.noteChanges(store, ['extruder']);
      clock.advance(20_000);

      const extruder = builder.build(store, IDLE).payload.sensors[0];
      expect(extruder?.value).toBe(206);
      expect(extruder?.lastUpdated).toBe('2026-01-01T12:00:05+00:00');
    });

    it('keeps the time of a change that rounding hides', () => {
      const clock = new FakeClock();
      const builder = new SensorsBuilder({ clock });
      const store = printer();
      builder.build(store, IDLE);
      clock.advance(5_000);
      store.objects.set('extruder', { temperature: 204.1, target: 215 });
      builder.noteChanges(store, ['extruder']);

      const extruder = builder.build(store, IDLE).payload.sensors[0];
      expect(extruder?.lastUpdated).toBe('2026-01-01T12:00:00+00:00');
    });

    it('dates a sensor the last build left out when it is first reported', () => {
      const clock = new FakeClock();
      const store = printer();
      store.objects.set('temperature_sensor chamber', { temperature: 30 });
      const builder = new SensorsBuilder({ clock });
      builder.build(store, IDLE);
      clock.advance(5_000);
      store.objects.set('temperature_sensor chamber', { temperature: 31 });
      builder.noteChanges(store, ['temperature_sensor chamber']);
      clock.advance(5_000);
      builder.setFilter({ allowlist: ['temperature_sensor chamber'], maxCustomSensors: 1 });

      const sensors = builder.build(store, IDLE).payload.sensors;
      const chamber = sensors.find((entry) => entry.channel === 'temperature_sensor chamber');
      expect(chamber?.lastUpdated).toBe('2026-01-01T12:00:10+00:00');
    });
  });

  describe('reset', () => {
    it('restarts lastUpdated from the current time', () => {
      const clock = new FakeClock();
      const builder = new SensorsBuilder({ clock });
      const store = printer();
      builder.build(store, IDLE);
      clock.advance(60_000);
      builder.reset();

      const fan = builder.build(store, IDLE).payload.sensors[1];
      expect(fan?.lastUpdated).toBe('2026-01-01T12:01:00+00:00');
    });
  });
});
