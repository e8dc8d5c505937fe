import { LocalCloud } from '../../local-cloud/local-cloud.js';
import { createLogger } from '../../support/logger.js';
import type { CliCommand } from '../cli-commands.js';
import { waitForStopSignal } from '../run-until-signal.js';
import { parsePort } from './option-values.js';

export const localCloudCommand: CliCommand = {
  name: 'local-cloud',
  usage: 'local-cloud [--http-port N] [--mqtt-port N]',
  summary: 'Run a local stand-in for Owl Cloud: link and token endpoints and an MQTT broker.',
  options: {
    'http-port': { type: 'string', help: 'HTTP port (default: any free port)' },
    'mqtt-port': { type: 'string', help: 'MQTT port (default: any free port)' },
  },
  async run(values) {
    const cloud = await LocalCloud.start({
      logger: createLogger(),
      httpPort: parsePort(values['http-port'], 0),
      broker: { kind: 'embedded', port: parsePort(values['mqtt-port'], 0) },
    });
    const { httpUrl, mqttUrl, operatorToken, operatorMqtt } = cloud.endpoints;
    const { code } = await cloud.operator().mintLinkCode({ ttlSeconds: 3600 });
    const stopped = waitForStopSignal();
    process.stdout.write(
      [
        `Local Owl Cloud HTTP: ${httpUrl}`,
        `Local Owl Cloud MQTT: ${mqttUrl}`,
        `Operator MQTT login:  ${operatorMqtt.username} / ${operatorMqtt.password}`,
        `Operator API token:   ${operatorToken}`,
        `A link code to try:   ${code} (valid for an hour)`,
        `More link codes:      curl -X POST -H "Authorization: Bearer ${operatorToken}" ${httpUrl}/api/v1/operator/link-codes`,
        '',
      ].join('\n'),
    );
    await stopped;
    await cloud.close();
    return 0;
  },
};
