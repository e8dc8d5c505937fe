import mqtt, { type MqttClient } from 'mqtt';

import { TOPIC_ROOT } from '../../../shared/contract/topics.js';
import type { LocalCloudEndpoints } from '../../local-cloud/local-cloud.js';
import type { Clock } from '../../support/clock.js';
import { withinBrokerTimeout } from './demo-checks.js';
import { describeCloudMessage } from './telemetry-line.js';

/** How long the watcher waits for its first connection, and on which clock. */
export interface WatchTimeout {
  clock: Clock;
  timeoutMs: number;
}

/**
 * Subscribes to every device topic at the local cloud as its operator and writes one line per
 * message, so the demo shows telemetry arriving where the cloud would receive it. Rejects with
 * `broker_unreachable`, after closing its client, when the broker does not accept it in time.
 */
export async function watchCloud(
  endpoints: LocalCloudEndpoints,
  printerNames: ReadonlyMap<string, string>,
  write: (line: string) => void,
  timeout: WatchTimeout,
): Promise<{ close(): Promise<void> }> {
  const client = mqtt.connect(endpoints.mqttUrl, {
    protocolVersion: 5,
    clientId: `owl-demo-watcher-${process.pid}`,
    username: endpoints.operatorMqtt.username,
    password: endpoints.operatorMqtt.password,
    reconnectPeriod: 1_000,
  });
  try {
    await withinBrokerTimeout(
      firstConnect(client),
      endpoints.mqttUrl,
      timeout.clock,
      timeout.timeoutMs,
    );
  } catch (error) {
    await client.endAsync(true);
    throw error;
  }
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

/** Resolves on the client's first CONNACK; MQTT.js keeps retrying a refused socket meanwhile. */
function firstConnect(client: MqttClient): Promise<void> {
  return new Promise((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
}
