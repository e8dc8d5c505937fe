import { gcodeError } from '../api-error.js';
import type { GcodeCommand } from './gcode-command.js';
import type { HeaterBank } from './heater-bank.js';
import type { KlippyHost } from './klippy-host.js';
import { OFFSET_AXES, type Peripherals } from './peripherals.js';
import type { PrintJob } from './print-job.js';

/** The parts of the printer model that G-code commands act on. */
export interface GcodeMachine {
  readonly klippy: KlippyHost;
  readonly heaters: HeaterBank;
  readonly parts: Peripherals;
  readonly job: PrintJob;
  startPrint(filename: string): void;
  pausePrint(): void;
  resumePrint(): void;
  cancelPrint(): void;
  emergencyStop(reason: string): void;
  firmwareRestart(): void;
  /** Sends a `notify_gcode_response` line. */
  respond(text: string): void;
}

type GcodeHandler = (command: GcodeCommand, machine: GcodeMachine) => void;

/** Commands Klipper still runs when it is not ready (shutdown, startup, error). */
export const NOT_READY_COMMANDS: ReadonlySet<string> = new Set([
  'FIRMWARE_RESTART',
  'RESTART',
  'M112',
  'M105',
  'M110',
  'M115',
  'M21',
  'STATUS',
  'HELP',
  'ECHO',
]);

/** Commands that are accepted but change nothing the simulator reports. */
const WITHOUT_EFFECT = [
  'G0',
  'G1',
  'G4',
  'G90',
  'G91',
  'G92',
  'M82',
  'M83',
  'M105',
  'M110',
  'M115',
  'M21',
  'M400',
  'HELP',
  'ECHO',
];

const setExtruderTarget: GcodeHandler = (command, machine) =>
  machine.heaters.extruder.setTarget(command.getFloat('S', 0, { minval: 0 }));

const setBedTarget: GcodeHandler = (command, machine) =>
  machine.heaters.bed.setTarget(command.getFloat('S', 0, { minval: 0 }));

/**
 * Effects of the supported commands on the model. M109 and M190 set the target without waiting
 * for it, unlike Klipper, so every script returns at once.
 */
const HANDLERS: Readonly<Record<string, GcodeHandler>> = {
  M104: setExtruderTarget,
  M109: setExtruderTarget,
  M140: setBedTarget,
  M190: setBedTarget,
  SET_HEATER_TEMPERATURE: (command, machine) =>
    machine.heaters.heater(command.get('HEATER')).setTarget(command.getFloat('TARGET', 0)),
  TURN_OFF_HEATERS: (_command, machine) => machine.heaters.turnOff(),
  M106: (command, machine) => {
    machine.parts.partFan = Math.min(1, command.getFloat('S', 255, { minval: 0 }) / 255);
  },
  M107: (_command, machine) => {
    machine.parts.partFan = 0;
  },
  SET_FAN_SPEED: (command, machine) =>
    machine.parts.setGenericFan(
      command.get('FAN'),
      command.getFloat('SPEED', 0, { minval: 0, maxval: 1 }),
    ),
  M220: (command, machine) => {
    machine.parts.speedFactor = command.getFloat('S', 100, { above: 0 }) / 100;
  },
  M221: (command, machine) => {
    machine.parts.extrudeFactor = command.getFloat('S', 100, { minval: 0 }) / 100;
  },
  SET_GCODE_OFFSET: setGcodeOffset,
  SET_LED: (command, machine) => {
    const channel = (name: string): number => command.getFloat(name, 0, { minval: 0, maxval: 1 });
    machine.parts.setLed(command.get('LED'), [
      channel('RED'),
      channel('GREEN'),
      channel('BLUE'),
      channel('WHITE'),
    ]);
  },
  SET_PIN: (command, machine) =>
    machine.parts.setPin(
      command.get('PIN'),
      command.getFloat('VALUE', undefined, { minval: 0, maxval: 1 }),
    ),
  EXCLUDE_OBJECT: excludeObject,
  PAUSE: (_command, machine) => machine.pausePrint(),
  RESUME: (_command, machine) => machine.resumePrint(),
  CANCEL_PRINT: (_command, machine) => machine.cancelPrint(),
  SDCARD_PRINT_FILE: (command, machine) => machine.startPrint(command.get('FILENAME')),
  M112: (_command, machine) => machine.emergencyStop('M112 command'),
  FIRMWARE_RESTART: (_command, machine) => machine.firmwareRestart(),
  RESTART: (_command, machine) => machine.firmwareRestart(),
  M117: (command, machine) =>
    machine.job.setDisplayMessage(command.rest === '' ? null : command.rest),
  M118: (command, machine) => machine.respond(`echo: ${command.rest}`),
  RESPOND: (command, machine) => machine.respond(`echo: ${command.get('MSG', '')}`),
  STATUS: reportStatus,
  G28: (_command, machine) => {
    machine.parts.homedAxes = 'xyz';
  },
  M84: (_command, machine) => {
    machine.parts.homedAxes = '';
  },
  M18: (_command, machine) => {
    machine.parts.homedAxes = '';
  },
  ...Object.fromEntries(WITHOUT_EFFECT.map((name) => [name, () => undefined])),
};

/** Returns the handler of a command, or undefined for a command Klipper does not know. */
export function gcodeHandler(command: string): GcodeHandler | undefined {
  return HANDLERS[command];
}

function setGcodeOffset(command: GcodeCommand, machine: GcodeMachine): void {
  for (const axis of OFFSET_AXES) {
    if (command.has(axis)) machine.parts.setOffset(axis, command.getFloat(axis), false);
    else if (command.has(`${axis}_ADJUST`))
      machine.parts.setOffset(axis, command.getFloat(`${axis}_ADJUST`), true);
  }
}

/** EXCLUDE_OBJECT with NAME excludes an object, with RESET clears the list, alone lists it. */
function excludeObject(command: GcodeCommand, machine: GcodeMachine): void {
  if (command.has('RESET')) {
    machine.job.clearExcluded();
    return;
  }
  const name = command.get('NAME', '').toUpperCase();
  if (name !== '') {
    machine.job.exclude(name);
    machine.respond(`// Excluding object ${name}`);
    return;
  }
  machine.respond(`// Excluded objects: ${machine.job.excludedObjects.join(' ') || 'none'}`);
}

function reportStatus(_command: GcodeCommand, machine: GcodeMachine): void {
  if (machine.klippy.isReady) {
    machine.respond('// Klipper state: Ready');
    return;
  }
  throw gcodeError(`${machine.klippy.message.trimEnd()}\nKlipper state: Not ready`);
}
