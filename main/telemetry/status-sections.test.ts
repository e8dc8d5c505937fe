import { describe, expect, it } from 'vitest';

import { isHeating, printParameters, toolheadStatus, toolIndex } from './status-sections.js';
import { storeOf } from './__testing__/state-inputs.js';

describe('isHeating', () => {
  it.each([
    ['extruder', { temperature: 150, target: 215 }, true],
    ['extruder', { temperature: 210, target: 215 }, true],
    ['extruder', { temperature: 211, target: 215 }, false],
    ['extruder', { temperature: 20, target: 40 }, false],
    ['heater_bed', { temperature: 30, target: 60 }, true],
    ['heater_generic chamber', { temperature: 25, target: 45 }, true],
    ['extruder1', { temperature: 25, target: 240 }, true],
    ['temperature_fan chamber', { temperature: 25, target: 60 }, false],
    ['extruder', { temperature: 25 }, false],
  ])('%s %j heating: %s', (name, fields, heating) => {
    expect(isHeating(storeOf({ [name]: fields }))).toBe(heating);
  });

  it('is true when any heater is heating', () => {
    const store = storeOf({
      extruder: { temperature: 215, target: 215 },
      heater_bed: { temperature: 40, target: 60 },
    });

    expect(isHeating(store)).toBe(true);
  });
});

describe('toolIndex', () => {
  it.each([
    ['extruder', 0],
    ['extruder1', 1],
    ['extruder12', 12],
    ['tool', undefined],
  ])('maps %s to %s', (extruder, index) => {
    expect(toolIndex(extruder)).toBe(index);
  });
});

describe('toolheadStatus', () => {
  it('reports the active extruder and its index', () => {
    expect(toolheadStatus(storeOf({ toolhead: { extruder: 'extruder1' } }))).toEqual({
      activeExtruder: 'extruder1',
      activeToolIndex: 1,
    });
  });

  it('reports a duplication mode of the dual carriage', () => {
    const store = storeOf({
      toolhead: { extruder: 'extruder' },
      dual_carriage: { carriage_0: 'PRIMARY', carriage_1: 'COPY' },
    });

    expect(toolheadStatus(store)?.dualCarriageMode).toBe('COPY');
  });

  it('reports PRIMARY for a single active carriage', () => {
    const store = storeOf({ dual_carriage: { carriage_0: 'INACTIVE', carriage_1: 'PRIMARY' } });

    expect(toolheadStatus(store)).toEqual({ dualCarriageMode: 'PRIMARY' });
  });

  it('is absent without toolhead data', () => {
    expect(toolheadStatus(storeOf({}))).toBeUndefined();
  });
});

describe('printParameters', () => {
  it('rounds factors to percent and the Z offset to micrometres', () => {
    const store = storeOf({
      gcode_move: { speed_factor: 1.254, extrude_factor: 0.955, homing_origin: [0, 0, -0.0504, 0] },
    });

    expect(printParameters(store)).toEqual({
      speedPercent: 125,
      flowPercent: 96,
      zOffsetMm: -0.05,
    });
  });

  it('writes a tiny negative offset as 0', () => {
    const store = storeOf({ gcode_move: { homing_origin: [0, 0, -0.0001, 0] } });

    expect(Object.is(printParameters(store)?.zOffsetMm, 0)).toBe(true);
  });

  it('is absent without gcode_move', () => {
    expect(printParameters(storeOf({}))).toBeUndefined();
  });
});
