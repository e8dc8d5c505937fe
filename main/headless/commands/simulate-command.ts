import { MoonrakerSimulator, scenarioNames } from '../../simulator/moonraker-simulator.js';
import { createLogger } from '../../support/logger.js';
import type { CliCommand } from '../cli-commands.js';
import { waitForStopSignal } from '../run-until-signal.js';
import { parsePort, parseScenario, parseSpeed } from './option-values.js';

export const simulateCommand: CliCommand = {
  name: 'simulate',
  usage: 'simulate [--replay FILE.jsonl | --scenario NAME]',
  summary: 'Run a simulated Moonraker printer on this machine and print its URL.',
  options: {
    replay: { type: 'string', help: 'Recorded Moonraker session to replay (JSON lines)' },
    scenario: { type: 'string', help: `Printer model to run: ${scenarioNames.join(', ')}` },
    speed: { type: 'string', help: 'Time factor: 2 runs twice as fast (default 1)' },
    host: { type: 'string', help: 'Address to listen on (default 127.0.0.1)' },
    port: { type: 'string', help: 'Port to listen on (default: any free port)' },
    'api-key': { type: 'string', help: 'Require this X-Api-Key on every request' },
  },
  async run(values) {
    const speed = parseSpeed(values['speed'], 1);
    const replay = typeof values['replay'] === 'string' ? values['replay'] : undefined;
    const scenario = parseScenario(values['scenario']);
    const simulator = new MoonrakerSimulator({
      mode: replay
        ? { kind: 'replay', file: replay, speed }
        : { kind: 'scenario', name: scenario, speed },
      ...(typeof values['host'] === 'string' ? { host: values['host'] } : {}),
      port: parsePort(values['port'], 0),
      ...(typeof values['api-key'] === 'string' ? { apiKey: values['api-key'] } : {}),
      logger: createLogger(),
      unknownCommand: 'respond',
    });
    const { url } = await simulator.start();
    const stopped = waitForStopSignal();
    process.stdout.write(
      `Simulated Moonraker at ${url} (${replay ? `replaying ${replay}` : scenario})\n`,
    );
    await stopped;
    await simulator.stop();
    return 0;
  },
};
