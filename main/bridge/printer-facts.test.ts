import { describe, expect, it } from 'vitest';

import type { Capabilities } from '../moonraker/capability-probe.js';
import { StateStore } from '../telemetry/state-store.js';
import { klippyFacts, temperatureReadings } from './printer-facts.js';

function storeWith(status: Record<string, Record<string, unknown>>): StateStore {
  const store = new StateStore();
  store.apply({ kind: 'snapshot', source: 'subscribe', status, receivedAt: 0 });
  return store;
}

function capabilities(klippyAvailable: boolean, klippyState: string): Capabilities {
  return {
    serverInfo: {
      klippy_connected: klippyState !== 'disconnected',
      klippy_state: klippyState,
      components: [],
      warnings: [],
    },
    klippyAvailable,
    objects: [],
    heaters: [],
    sensors: [],
    macros: [],
    manifest: {},
  };
}

describe('klippyFacts', () => {
  it('reads the state and message from webhooks', () => {
    const store = storeWith({
      webhooks: { state: 'shutdown', state_message: 'MCU shutdown\nmore' },
    });

    expect(klippyFacts(store, capabilities(true, 'ready'))).toEqual({
      state: 'shutdown',
      message: 'MCU shutdown\nmore',
    });
  });

  it('prefers the probe while Klippy was unavailable', () => {
    const store = storeWith({ webhooks: { state: 'ready' } });

    expect(klippyFacts(store, capabilities(false, 'startup'))).toEqual({ state: 'startup' });
    expect(klippyFacts(store, capabilities(false, 'disconnected'))).toEqual({
      state: 'disconnected',
    });
  });
});

describe('temperatureReadings', () => {
  it('lists heaters and temperature sensors with one decimal', () => {
    const store = storeWith({
      extruder: { temperature: 214.567, target: 215 },
      heater_bed: { temperature: 59.94, target: 60 },
      'temperature_sensor chamber': { temperature: 31.04 },
      fan: { speed: 0.5 },
    });

    expect(temperatureReadings(store)).toEqual([
      { name: 'extruder', value: 214.6, target: 215 },
      { name: 'heater_bed', value: 59.9, target: 60 },
      { name: 'temperature_sensor chamber', value: 31 },
    ]);
  });

  it('leaves out denylisted sensors', () => {
    const store = storeWith({
      extruder: { temperature: 20 },
      'temperature_sensor mcu': { temperature: 40 },
    });

    expect(temperatureReadings(store, { denylist: ['Temperature_Sensor MCU'] })).toEqual([
      { name: 'extruder', value: 20 },
    ]);
  });

  it('reports a sensor without a reading as null', () => {
    const store = storeWith({ extruder: { temperature: null, target: 0 } });

    expect(temperatureReadings(store)).toEqual([{ name: 'extruder', value: null, target: 0 }]);
  });
});
