import { systemClock, type Clock } from '../support/clock.js';
import { CodedError } from '../support/coded-error.js';
import { silentLogger, type Logger } from '../support/logger.js';
import type { SimulatorIdentity } from './moonraker-api.js';
import type { UnknownCommandPolicy } from './scenario/printer-model.js';
import { isScenarioName, scenarioNames, type ScenarioName } from './scenario/scenarios.js';
import { seededRandom } from './scenario/seeded-random.js';

/**
 * The source of the simulated printer. A replay divides the recorded gaps by `speed`, and 0 or
 * Infinity send the frames as fast as possible, in order. A scenario runs `speed` times faster
 * than a real printer (1 by default).
 */
export type SimulatorMode =
  | { readonly kind: 'replay'; readonly file: string; readonly speed: number }
  | { readonly kind: 'scenario'; readonly name: ScenarioName; readonly speed?: number };

export interface MoonrakerSimulatorOptions {
  readonly mode: SimulatorMode;
  /** Address to listen on; 127.0.0.1 by default. */
  readonly host?: string;
  /** Port to listen on; 0 (the default) picks a free one. */
  readonly port?: number;
  /** When set, requests without a matching `X-Api-Key` are rejected with 401. */
  readonly apiKey?: string;
  /** Real milliseconds between status updates of a scenario; Moonraker's 250 by default. */
  readonly updateIntervalMs?: number;
  readonly identity?: Partial<SimulatorIdentity>;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Source of the scenario's temperature noise; a fixed seed by default. */
  readonly random?: () => number;
  /** Handling of unknown G-code commands in a scenario; `error` by default. */
  readonly unknownCommand?: UnknownCommandPolicy;
}

export interface ResolvedOptions {
  readonly mode: SimulatorMode;
  readonly host: string;
  readonly port: number;
  readonly apiKey: string | undefined;
  readonly updateIntervalMs: number;
  readonly identity: SimulatorIdentity;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly random: () => number;
  readonly unknownCommand: UnknownCommandPolicy;
}

export const DEFAULT_IDENTITY: SimulatorIdentity = {
  hostname: 'owl-simulator',
  klipperVersion: 'v0.13.0-simulated',
  moonrakerVersion: 'v0.9.3-simulated',
};

/** Fills in defaults and rejects invalid values with `invalid_option`. */
export function resolveOptions(options: MoonrakerSimulatorOptions): ResolvedOptions {
  checkMode(options.mode);
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw invalidOption(`port must be an integer from 0 to 65535, got ${port}`);
  }
  const updateIntervalMs = options.updateIntervalMs ?? 250;
  if (!Number.isFinite(updateIntervalMs) || updateIntervalMs <= 0) {
    throw invalidOption(
      `updateIntervalMs must be a positive number of milliseconds, got ${updateIntervalMs}`,
    );
  }
  return {
    mode: options.mode,
    host: options.host ?? '127.0.0.1',
    port,
    apiKey: options.apiKey,
    updateIntervalMs,
    identity: { ...DEFAULT_IDENTITY, ...options.identity },
    clock: options.clock ?? systemClock,
    logger: (options.logger ?? silentLogger).child({ component: 'moonraker-simulator' }),
    random: options.random ?? seededRandom(1),
    unknownCommand: options.unknownCommand ?? 'error',
  };
}

/** Speed of a scenario, which has to be finite: its model advances in steps of simulated time. */
export function scenarioSpeed(mode: Extract<SimulatorMode, { kind: 'scenario' }>): number {
  return mode.speed ?? 1;
}

function checkMode(mode: SimulatorMode): void {
  switch (mode.kind) {
    case 'replay':
      if (Number.isNaN(mode.speed) || mode.speed < 0) {
        throw invalidOption(
          `replay speed must be 0, Infinity or a positive number, got ${mode.speed}`,
        );
      }
      return;
    case 'scenario': {
      if (!isScenarioName(mode.name)) {
        throw invalidOption(
          `unknown scenario "${String(mode.name)}"; expected one of ${scenarioNames.join(', ')}`,
        );
      }
      const speed = scenarioSpeed(mode);
      if (!Number.isFinite(speed) || speed <= 0) {
        throw invalidOption(`scenario speed must be a positive finite number, got ${speed}`);
      }
      return;
    }
  }
}

function invalidOption(message: string): CodedError<'invalid_option'> {
  return new CodedError('invalid_option', `Invalid simulator option: ${message}`);
}
