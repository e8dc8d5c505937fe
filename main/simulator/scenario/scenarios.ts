import { DisposableStore, type Disposable } from '../../support/disposable.js';
import type { Logger } from '../../support/logger.js';
import type { ListenerSet } from '../../support/listener-set.js';
import type { GcodeFile } from '../gcode-catalog.js';
import type { ScaledTimers } from '../timer-set.js';
import type { JobEvent, PrinterModel } from './printer-model.js';

/** The named scenarios `moonraker-owl simulate` and the demo mode can run. */
export const scenarioNames = ['idle', 'printing', 'emergency-stop', 'silent-print'] as const;

export type ScenarioName = (typeof scenarioNames)[number];

export function isScenarioName(value: string): value is ScenarioName {
  return (scenarioNames as readonly string[]).includes(value);
}

/** Simulated milliseconds a scenario waits between prints and between steps of a script. */
export const SCENARIO_TIMING_MS = {
  betweenPrints: 10_000,
  printingBeforeEmergencyStop: 20_000,
  shutdownBeforeRestart: 5_000,
  /** A silent print waits for clients to connect, since its history notification is the point. */
  beforeSilentPrint: 5_000,
} as const;

export interface ScenarioContext {
  readonly model: PrinterModel;
  readonly files: readonly GcodeFile[];
  readonly timers: ScaledTimers;
  readonly jobEvents: ListenerSet<[JobEvent]>;
  readonly logger: Logger;
}

/** Starts the scenario; disposing the result stops it reacting to the printer. */
export function runScenario(name: ScenarioName, context: ScenarioContext): Disposable {
  const store = new DisposableStore();
  switch (name) {
    case 'idle':
      return store;
    case 'printing':
      loopPrints(context, store);
      return store;
    case 'emergency-stop':
      printThenEmergencyStop(context, store);
      return store;
    case 'silent-print':
      silentPrint(context, store);
      return store;
  }
}

/** Starts a print at once and another one after each print ends, cycling through the files. */
function loopPrints(context: ScenarioContext, store: DisposableStore): void {
  let next = 0;
  const startNext = (): void => {
    const file = context.files[next % context.files.length];
    next += 1;
    if (file && !tryStart(context, file)) {
      store.add(context.timers.after(SCENARIO_TIMING_MS.betweenPrints, startNext));
    }
  };
  store.add(
    context.jobEvents.add((event) => {
      if (event.type === 'ended')
        store.add(context.timers.after(SCENARIO_TIMING_MS.betweenPrints, startNext));
    }),
  );
  startNext();
}

/** Prints, stops the printer mid-print, restarts its firmware and leaves it ready. */
function printThenEmergencyStop(context: ScenarioContext, store: DisposableStore): void {
  const { model, timers } = context;
  store.add(
    context.jobEvents.add((event) => {
      if (event.type !== 'printing') return;
      store.add(
        timers.after(SCENARIO_TIMING_MS.printingBeforeEmergencyStop, () => {
          model.emergencyStop();
          store.add(
            timers.after(SCENARIO_TIMING_MS.shutdownBeforeRestart, () => model.firmwareRestart()),
          );
        }),
      );
    }),
  );
  const file = context.files[0];
  if (file) tryStart(context, file);
}

/**
 * Runs one print, a few seconds after the start, whose print objects never reach websocket status
 * updates, as when a client's subscription was lost: only the history notification and queries
 * show the print. The print objects are sent again once it has ended.
 */
function silentPrint(context: ScenarioContext, store: DisposableStore): void {
  const { model } = context;
  store.add(
    context.jobEvents.add((event) => {
      if (event.type === 'ended') model.setSilent(false);
    }),
  );
  store.add(
    context.timers.after(SCENARIO_TIMING_MS.beforeSilentPrint, () => {
      const file = context.files[0];
      model.setSilent(true);
      if (file && !tryStart(context, file)) model.setSilent(false);
    }),
  );
}

function tryStart(context: ScenarioContext, file: GcodeFile): boolean {
  try {
    context.model.startPrint(file.filename);
    return true;
  } catch (error) {
    context.logger.info(
      { filename: file.filename, err: error },
      'Scenario could not start a print',
    );
    return false;
  }
}
