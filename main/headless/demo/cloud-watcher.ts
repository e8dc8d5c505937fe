import mqtt from 'mqtt';

import { TOPIC_ROOT } from '../../../shared/contract/topics.js';
import type { LocalCloudEndpoints } from '../../local-cloud/local-cloud.js';
import { describeCloudMessage } from './telemetry-line.js';

/**
 * Subscribes to every device topic at the local cloud as its operator and writes one line per
 * message, so the demo shows telemetry arriving where the cloud would receive it.
 */
export async function watchCloud(
  endpoints: LocalCloudEndpoints,
  printerNames: ReadonlyMap<string, string>,
  write: (line: string) => void,
): Promise<{ close(): Promise<void> }> {
  const client = await mqtt.connectAsync(endpoints.mqttUrl, {
    protocolVersion: 5,
    clientId: `owl-demo-watcher-${process.pid}`,
    username: endpoints.operatorMqtt.username,
    password: endpoints.operatorMqtt.password,
    reconnectPeriod: 1_000,
  });
  client.on('message', (topic, payload) => {
    const [, , deviceId = '', ...rest] = topic.split('/');
    const name = printerNames.get(deviceId) ?? deviceId.slice(0, 8);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(payload.toString('utf8')) as Record<string, unknown>;
    } catch {
      write(`${name} ${rest.join('/')}: ${payload.length} bytes that are not JSON`);
      return;
    }
    const line = describeCloudMessage(name, rest.join('/'), body);
    if (line) write(line);
  });
  await client.subscribeAsync(`${TOPIC_ROOT}/#`, { qos: 1 });
  return { close: () => client.endAsync() };
}
