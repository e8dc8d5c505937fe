import { scenarioNames } from '../../simulator/moonraker-simulator.js';
import { systemClock } from '../../support/clock.js';
import { createLogger } from '../../support/logger.js';
import type { CliCommand } from '../cli-commands.js';
import { watchCloud } from '../demo/cloud-watcher.js';
import { connectedLine, linkingLine } from '../demo/demo-messages.js';
import { startDemo } from '../demo/demo-runner.js';
import { waitForStopSignal } from '../run-until-signal.js';
import { parseCount, parseScenario, parseSeconds, parseSpeed } from './option-values.js';

export const demoCommand: CliCommand = {
  name: 'demo',
  usage: 'demo [--printers N] [--replay FILE] [--speed X]',
  summary: 'Simulated printers, the local cloud and linked bridges in one command.',
  options: {
    printers: { type: 'string', help: 'Number of simulated printers (default 1, at most 200)' },
    replay: { type: 'string', help: 'Replay this recorded Moonraker session on every printer' },
    scenario: {
      type: 'string',
      help: `Printer model when not replaying: ${scenarioNames.join(', ')}`,
    },
    speed: { type: 'string', help: 'Time factor of the simulation (default 10)' },
    broker: { type: 'string', help: 'Use this MQTT broker URL instead of the embedded one' },
    'broker-timeout': {
      type: 'string',
      help: 'Seconds to wait for the first broker connections (default 15)',
    },
    json: { type: 'boolean', help: 'Print one JSON line when ready instead of telemetry lines' },
  },
  async run(values) {
    const json = values['json'] === true;
    const printerCount = parseCount(values['printers'], 1, 'printers', 200);
    const logger = createLogger({ level: 'warn' });
    const names = new Map<string, string>();
    const write = (line: string): boolean => process.stdout.write(`${line}\n`);
    let watcher: { close(): Promise<void> } | undefined;
    const brokerTimeoutMs = parseSeconds(values['broker-timeout'], 15, 'broker-timeout') * 1000;

    const demo = await startDemo({
      printers: printerCount,
      ...(typeof values['replay'] === 'string' ? { replay: values['replay'] } : {}),
      scenario: parseScenario(values['scenario']),
      speed: parseSpeed(values['speed'], 10),
      ...(typeof values['broker'] === 'string' ? { brokerUrl: values['broker'] } : {}),
      brokerTimeoutMs,
      clock: systemClock,
      logger,
      onCloudStarted: async (endpoints) => {
        if (json) return;
        const { httpUrl, mqttUrl, operatorMqtt } = endpoints;
        write(`Local cloud: HTTP ${httpUrl}, MQTT ${mqttUrl}`);
        write(`  operator login ${operatorMqtt.username} / ${operatorMqtt.password}`);
        write(linkingLine(printerCount));
        const timeout = { clock: systemClock, timeoutMs: brokerTimeoutMs };
        watcher = await watchCloud(endpoints, names, write, timeout);
      },
      onPrinterLinked: (printer) => names.set(printer.deviceId, printer.name),
    }).catch(async (error: unknown) => {
      await watcher?.close();
      throw error;
    });

    const { httpUrl, mqttUrl, operatorMqtt } = demo.endpoints;
    const printers = demo.printers.map(({ name, deviceId }) => ({ name, deviceId }));
    const operator = { username: operatorMqtt.username, password: operatorMqtt.password };
    const stopped = waitForStopSignal();
    if (json) write(JSON.stringify({ event: 'ready', mqttUrl, httpUrl, printers, operator }));
    else write(connectedLine(printers.length));

    await stopped;
    await watcher?.close();
    await demo.stop();
    if (!json) write('Demo stopped; every printer sent its Offline status.');
    return 0;
  },
};
