import { describe, expect, it } from 'vitest';

import type { BridgeSnapshot } from '../../bridge/bridge-snapshot.js';
import type { TemperatureReading } from '../../bridge/printer-facts.js';
import {
  MAX_HISTORY_SENSORS,
  TEMPERATURE_SAMPLE_INTERVAL_MS,
  TEMPERATURE_WINDOW_MS,
  TemperatureHistory,
} from './temperature-history.js';

const START = Date.UTC(2026, 0, 1, 12, 0, 0);

function snapshot(
  temperatures: TemperatureReading[],
  moonraker = 'ready',
  klippy = 'ready',
): BridgeSnapshot {
  return {
    name: 'voron',
    state: 'running',
    deviceId: 'device-1',
    cloudUrl: 'http://cloud.test',
    mqtt: { state: 'connected', brokerUrl: 'mqtt://broker.test:1883' },
    moonraker: { state: moonraker, url: 'http://voron:7125', apiKeyConfigured: false },
    klippy: { state: klippy },
    temperatures,
  };
}

const HOT: TemperatureReading[] = [
  { name: 'extruder', value: 214.8, target: 215 },
  { name: 'temperature_sensor chamber', value: 31.2 },
];

describe('TemperatureHistory', () => {
  it('records live readings with targets only where present', () => {
    const history = new TemperatureHistory();

    history.sample(START, () => snapshot(HOT));
    history.sample(START + 2000, () => snapshot(HOT));

    const view = history.view(START + 2000);
    expect(view.times).toEqual([START, START + 2000]);
    expect(view.sensors).toEqual([
      { name: 'extruder', values: [214.8, 214.8], targets: [215, 215] },
      { name: 'temperature_sensor chamber', values: [31.2, 31.2] },
    ]);
    expect(history.lastLiveAt).toBe(START + 2000);
  });

  it('reads the snapshot again only after a change', () => {
    const history = new TemperatureHistory();
    let reads = 0;
    const read = () => {
      reads += 1;
      return snapshot(HOT);
    };

    history.sample(START, read);
    history.sample(START + 2000, read);
    history.markChanged();
    history.sample(START + 4000, read);

    expect(reads).toBe(2);
    expect(history.view(START + 4000).times).toHaveLength(3);
  });

  it('ends the line with one gap when Moonraker is lost', () => {
    const history = new TemperatureHistory();
    history.sample(START, () => snapshot(HOT));

    history.markChanged();
    history.sample(START + 2000, () => snapshot(HOT, 'backoff'));
    history.sample(START + 4000, () => snapshot(HOT, 'backoff'));

    const view = history.view(START + 4000);
    expect(view.times).toEqual([START, START + 2000]);
    expect(view.sensors[0]?.values).toEqual([214.8, null]);
    expect(history.lastLiveAt).toBe(START);
  });

  it('treats a Klippy shutdown as not live', () => {
    const history = new TemperatureHistory();

    history.sample(START, () => snapshot(HOT, 'ready', 'shutdown'));

    expect(history.view(START).times).toEqual([]);
    expect(history.lastLiveAt).toBeUndefined();
  });

  it('keeps only the last ten minutes', () => {
    const history = new TemperatureHistory();
    const samples = TEMPERATURE_WINDOW_MS / TEMPERATURE_SAMPLE_INTERVAL_MS;

    for (let index = 0; index < samples + 50; index += 1) {
      history.sample(START + index * TEMPERATURE_SAMPLE_INTERVAL_MS, () => snapshot(HOT));
    }

    const newest = START + (samples + 49) * TEMPERATURE_SAMPLE_INTERVAL_MS;
    const view = history.view(newest);
    expect(view.times).toHaveLength(samples);
    expect(view.times[0]).toBe(START + 50 * TEMPERATURE_SAMPLE_INTERVAL_MS);
    expect(view.times.at(-1)).toBe(newest);
  });

  it('leaves out samples older than the window at read time', () => {
    const history = new TemperatureHistory();
    history.sample(START, () => snapshot(HOT));

    expect(history.view(START + TEMPERATURE_WINDOW_MS + 1).times).toEqual([]);
  });

  it('caps the number of sensors', () => {
    const history = new TemperatureHistory();
    const many = Array.from({ length: MAX_HISTORY_SENSORS + 4 }, (_, index) => ({
      name: `temperature_sensor s${String(index).padStart(2, '0')}`,
      value: 20 + index,
    }));

    history.sample(START, () => snapshot(many));

    expect(history.view(START).sensors).toHaveLength(MAX_HISTORY_SENSORS);
  });

  it('frees the sensors that left the ring for new ones', () => {
    const history = new TemperatureHistory(10_000, 2_000);
    const sensors = (prefix: string) =>
      Array.from({ length: MAX_HISTORY_SENSORS }, (_, index) => ({
        name: `temperature_sensor ${prefix}${index}`,
        value: 30,
      }));
    history.sample(START, () => snapshot(sensors('a')));

    history.markChanged();
    for (let index = 1; index <= 6; index += 1) {
      history.sample(START + index * 2000, () => snapshot(sensors('b')));
    }

    const names = history.view(START + 12_000).sensors.map((sensor) => sensor.name);
    expect(names).toEqual(sensors('b').map((sensor) => sensor.name));
  });
});
