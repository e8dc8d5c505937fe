import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { COMMAND_NAMES } from '../../shared/contract/commands.js';
import { ackTopic } from '../../shared/contract/topics.js';
import { BridgeRig } from '../support/bridge-rig.js';
import { envelopeRequest, legacyRequest } from '../support/command-requests.js';
import { startScenarioPrinter, type ScenarioPrinter } from '../support/scenario-printer.js';
import { queryPrinterObjects } from '../support/simulator-access.js';

const ACK_TIMEOUT_MS = 10_000;
const DEMO_FILE = 'owl_cube_0.2mm_PLA_14m.gcode';

let rig: BridgeRig;

beforeEach(() => {
  rig = new BridgeRig();
});

afterEach(async () => {
  await rig.dispose();
});

/** One request of the catalogue run and the execution-stage ack it must get. */
interface CatalogueStep {
  command: string;
  parameters?: Record<string, unknown>;
  outcome:
    | { status: 'completed'; result: Record<string, unknown> }
    | { status: 'failed'; code: string; message: string };
  /** Runs once the step's acks have arrived, to check the printer. */
  check?: (setup: ScenarioPrinter) => Promise<void>;
}

function completed(result: Record<string, unknown>): CatalogueStep['outcome'] {
  return { status: 'completed', result };
}

function failed(code: string, message: string): CatalogueStep['outcome'] {
  return { status: 'failed', code, message };
}

async function printerObject(setup: ScenarioPrinter, name: string) {
  const status = await queryPrinterObjects(setup.printer.url, [name]);
  return status[name] ?? {};
}

/**
 * Every command except pause, resume and cancel, which have their own tests: first on an idle
 * printer, then on a print that is started, trimmed and stopped.
 */
const STEPS: CatalogueStep[] = [
  {
    command: 'control:set-telemetry-rate',
    parameters: { mode: 'watch', intervalSeconds: 1, durationSeconds: 30 },
    outcome: completed({
      mode: 'watch',
      intervalSeconds: 1,
      durationSeconds: 30,
      watchWindowExpires: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/),
    }),
  },
  {
    command: 'heater:set-target',
    parameters: { heater: 'heater_bed', target: 60 },
    outcome: completed({ heater: 'heater_bed', target: 60 }),
    check: async (setup) => {
      expect((await printerObject(setup, 'heater_bed'))['target']).toBe(60);
    },
  },
  {
    command: 'heater:set-target',
    parameters: { heater: 'extruder', target: 999 },
    outcome: failed('invalid_target', 'Target for extruder 999 is outside 0..300'),
  },
  {
    command: 'heater:set-target',
    parameters: { heater: 'chamber', target: 40 },
    outcome: failed(
      'invalid_heater',
      'Unknown heater "chamber"; valid heaters: extruder, heater_bed',
    ),
  },
  {
    command: 'heater:turn-off',
    parameters: { heater: 'heater_bed' },
    outcome: completed({ heater: 'heater_bed', target: 0 }),
    check: async (setup) => {
      expect((await printerObject(setup, 'heater_bed'))['target']).toBe(0);
    },
  },
  {
    command: 'fan:set-speed',
    parameters: { fan: 'fan_generic exhaust_fan', speed: 0.4 },
    outcome: completed({ fan: 'exhaust_fan', speed: 0.4 }),
    check: async (setup) => {
      const fan = await printerObject(setup, 'fan_generic exhaust_fan');
      expect(fan['speed']).toBeCloseTo(0.4, 5);
    },
  },
  {
    command: 'led:set-brightness',
    parameters: { led: 'status_led', brightness: 0.5 },
    outcome: completed({ led: 'status_led', brightness: 0.5 }),
    check: async (setup) => {
      const led = await printerObject(setup, 'led status_led');
      expect(led['color_data']).toEqual([[0.5, 0.5, 0.5, 0.5]]);
    },
  },
  {
    command: 'output-pin:set-value',
    parameters: { pin: 'caselight', value: 0.25 },
    outcome: completed({ pin: 'caselight', value: 0.25 }),
    check: async (setup) => {
      expect((await printerObject(setup, 'output_pin caselight'))['value']).toBeCloseTo(0.25, 5);
    },
  },
  {
    command: 'print-param:set-speed',
    parameters: { percent: 150 },
    outcome: completed({ percent: 150 }),
  },
  {
    command: 'print-param:set-flow',
    parameters: { percent: 95 },
    outcome: completed({ percent: 95 }),
  },
  {
    command: 'print-param:set-z-offset',
    parameters: { adjustMm: -0.05 },
    outcome: completed({ adjustMm: -0.05 }),
  },
  {
    command: 'print-param:reset-z-offset',
    outcome: completed({ zOffsetMm: 0 }),
    check: async (setup) => {
      const gcodeMove = await printerObject(setup, 'gcode_move');
      expect(gcodeMove['speed_factor']).toBeCloseTo(1.5, 5);
      expect(gcodeMove['extrude_factor']).toBeCloseTo(0.95, 5);
      expect((gcodeMove['homing_origin'] as number[])[2]).toBeCloseTo(0, 6);
    },
  },
  {
    command: 'gcode:macro',
    parameters: { macro: 'clean_nozzle' },
    outcome: failed('unknown_macro', 'Macro CLEAN_NOZZLE is not defined on this printer'),
  },
  {
    command: 'gcode:macro',
    parameters: { macro: '_helper' },
    outcome: failed('forbidden_macro', "Macro '_HELPER' starts with '_' and is internal"),
  },
  {
    command: 'object:exclude',
    parameters: { objectName: 'CUBE_1' },
    outcome: failed('object_not_found', 'Object CUBE_1 is not in the print; objects: none'),
  },
  {
    command: 'print:start',
    parameters: { filename: DEMO_FILE },
    outcome: completed({ command: 'print:start', filename: DEMO_FILE }),
    check: async (setup) => {
      await setup.observer.waitForEvent(setup.deviceId, 'print:started', ACK_TIMEOUT_MS);
    },
  },
  {
    command: 'print:start',
    parameters: { filename: DEMO_FILE },
    outcome: failed(
      'printer_busy',
      'Printer is printing; cancel or finish the current print first',
    ),
  },
  {
    command: 'object:exclude',
    parameters: { objectName: 'cube_2' },
    outcome: completed({ objectName: 'CUBE_2' }),
    check: async (setup) => {
      const excludeObject = await printerObject(setup, 'exclude_object');
      expect(excludeObject['excluded_objects']).toEqual(['CUBE_2']);
    },
  },
  {
    command: 'print:emergency-stop',
    outcome: completed({ command: 'print:emergency-stop' }),
    check: async (setup) => {
      await setup.observer.waitForEvent(setup.deviceId, 'print:failed', ACK_TIMEOUT_MS);
    },
  },
  {
    command: 'print:firmware-restart',
    outcome: completed({ command: 'print:firmware-restart' }),
    check: async (setup) => {
      await setup.observer.waitForEvent(setup.deviceId, 'klippy:ready', ACK_TIMEOUT_MS);
    },
  },
];

describe('command catalogue', () => {
  it('acks every command with its outcome', { timeout: 60_000 }, async () => {
    const setup = await startScenarioPrinter(rig, 'idle', 1);

    for (const [index, step] of STEPS.entries()) {
      const commandId = `catalogue-${index}`;
      const request =
        index % 2 === 0
          ? envelopeRequest(setup.deviceId, commandId, step.command, step.parameters)
          : legacyRequest(commandId, step.command, step.parameters);
      await setup.send(step.command, request);
      await setup.waitForAck(commandId, step.outcome.status);

      const topic = ackTopic(setup.deviceId, step.command);
      const acks = setup.acks(commandId).map(({ message, ack }) => ({
        topic: message.topic,
        status: ack.payload.status,
        stage: ack.payload.stage,
        ...(ack.payload.reason ? { reason: ack.payload.reason } : {}),
        ...(ack.payload.result ? { result: ack.payload.result } : {}),
      }));
      const last =
        step.outcome.status === 'completed'
          ? { result: step.outcome.result }
          : { reason: { code: step.outcome.code, message: step.outcome.message } };
      expect(acks, `${step.command} ${JSON.stringify(step.parameters)}`).toEqual([
        { topic, status: 'accepted', stage: 'dispatch' },
        { topic, status: step.outcome.status, stage: 'execution', ...last },
      ]);
      await step.check?.(setup);
    }

    const covered = new Set(STEPS.map((step) => step.command));
    const untested = COMMAND_NAMES.filter((name) => !covered.has(name));
    expect(untested).toEqual(['print:pause', 'print:resume', 'print:cancel']);
    expect(setup.observer.problems()).toEqual([]);
  });
});
