import type { StatusPayload } from '../../shared/contract/status.js';
import { isHeaterHeating } from './sensor-values.js';
import { numberField, textField } from './state-fields.js';
import type { StateReader } from './state-store.js';

/** Status body parts read straight from printer objects: heating, toolhead, print parameters. */

/** Heater objects: `extruder`, `extruder1`…, `heater_bed`, `heater_generic <name>`. */
const HEATER_PREFIXES = ['extruder', 'heater'];

/** `dual_carriage` modes in which both carriages print. */
const DUPLICATION_MODES: ReadonlySet<string> = new Set(['COPY', 'MIRROR']);

/** Any heater with a target above 40 °C that is still 5 °C or more below it. */
export function isHeating(state: StateReader): boolean {
  return state.objectNames().some((name) => {
    if (!HEATER_PREFIXES.some((prefix) => name.startsWith(prefix))) return false;
    const heater = state.get(name);
    return isHeaterHeating(numberField(heater, 'temperature'), numberField(heater, 'target'));
  });
}

export function toolheadStatus(state: StateReader): StatusPayload['toolhead'] {
  const activeExtruder = textField(state.get('toolhead'), 'extruder');
  const dualCarriageMode = dualCarriageModeOf(state);
  if (activeExtruder === undefined && dualCarriageMode === undefined) return undefined;

  const activeToolIndex = activeExtruder === undefined ? undefined : toolIndex(activeExtruder);
  return {
    ...(activeExtruder === undefined ? {} : { activeExtruder }),
    ...(activeToolIndex === undefined ? {} : { activeToolIndex }),
    ...(dualCarriageMode === undefined ? {} : { dualCarriageMode }),
  };
}

/** `extruder` is tool 0, `extruderN` is tool N; other names have no index. */
export function toolIndex(extruder: string): number | undefined {
  const match = /^extruder(\d*)$/.exec(extruder);
  if (!match) return undefined;
  return match[1] ? Number.parseInt(match[1], 10) : 0;
}

/**
 * Klipper reports `carriage_0`/`carriage_1` modes (PRIMARY, INACTIVE, COPY, MIRROR); versions
 * before that reported a single `mode`.
 */
function dualCarriageModeOf(state: StateReader): string | undefined {
  const dualCarriage = state.get('dual_carriage');
  if (!dualCarriage) return undefined;

  const second = textField(dualCarriage, 'carriage_1')?.toUpperCase();
  if (second && DUPLICATION_MODES.has(second)) return second;
  const first = textField(dualCarriage, 'carriage_0')?.toUpperCase();
  if (first === 'PRIMARY' || second === 'PRIMARY') return 'PRIMARY';
  return textField(dualCarriage, 'mode')?.toUpperCase();
}

/** Speed and flow factors in whole percent, and the Z offset (`homing_origin[2]`) in mm. */
export function printParameters(state: StateReader): StatusPayload['printParameters'] {
  const gcodeMove = state.get('gcode_move');
  const speedFactor = numberField(gcodeMove, 'speed_factor');
  const extrudeFactor = numberField(gcodeMove, 'extrude_factor');
  const homingOrigin = gcodeMove?.homing_origin;
  const zOffset = Array.isArray(homingOrigin) ? homingOrigin[2] : undefined;

  const parameters = {
    ...(speedFactor === undefined ? {} : { speedPercent: Math.round(speedFactor * 100) }),
    ...(extrudeFactor === undefined ? {} : { flowPercent: Math.round(extrudeFactor * 100) }),
    ...(typeof zOffset === 'number' && Number.isFinite(zOffset)
      ? { zOffsetMm: roundMillimetres(zOffset) }
      : {}),
  };
  return Object.keys(parameters).length > 0 ? parameters : undefined;
}

/** Rounds to 3 decimals (micrometres); -0 becomes 0. */
function roundMillimetres(value: number): number {
  return Math.round(value * 1000) / 1000 + 0;
}
