import type { MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';

import { systemClock } from '../support/clock.js';
import type { CodedError } from '../support/coded-error.js';
import { silentLogger } from '../support/logger.js';
import { FakeTokenSource } from './__testing__/fake-token-source.js';
import { MqttTestClient } from './__testing__/mqtt-test-client.js';
import { MosquittoProcess, type MosquittoOptions } from './__testing__/spawn-mosquitto.js';
import type { ConnectedEvent } from './connection-events.js';
import { DeviceConnection, type DeviceConnectionOptions } from './device-connection.js';
import { connectWithMqttJs } from './mqtt-client-handle.js';

const DEVICE_ID = 'device-1';
const STATUS_TOPIC = `owl/printers/${DEVICE_ID}/status`;
const WILL_PAYLOAD = '{"lifecycle":{"phase":"Offline","reason":"Connection lost (LWT)"}}';

const brokers: MosquittoProcess[] = [];
const testClients: MqttTestClient[] = [];
const connections: DeviceConnection[] = [];

async function startBroker(options?: MosquittoOptions): Promise<MosquittoProcess> {
  const broker = await MosquittoProcess.start(options);
  brokers.push(broker);
  return broker;
}

async function testClient(broker: MosquittoProcess, clientId: string): Promise<MqttTestClient> {
  const client = await MqttTestClient.connect(broker.url, clientId);
  testClients.push(client);
  return client;
}

interface Device {
  connection: DeviceConnection;
  tokens: FakeTokenSource;
  clients: MqttClient[];
  connected: ConnectedEvent[];
  nextConnected(): Promise<ConnectedEvent>;
}

function createDevice(
  broker: MosquittoProcess,
  overrides: Partial<DeviceConnectionOptions> = {},
): Device {
  const tokens = new FakeTokenSource();
  const clients: MqttClient[] = [];
  const connection = new DeviceConnection({
    brokerUrl: broker.url,
    deviceId: DEVICE_ID,
    tokens,
    clock: systemClock,
    logger: silentLogger,
    random: () => 0,
    reconnect: { initialSeconds: 0.5, jitterRatio: 1 },
    willPayload: () => WILL_PAYLOAD,
    mqttConnect: (url, options) => {
      const client = connectWithMqttJs(url, options) as MqttClient;
      clients.push(client);
      return client;
    },
    ...overrides,
  });
  connections.push(connection);
  const connected: ConnectedEvent[] = [];
  let waiters: ((event: ConnectedEvent) => void)[] = [];
  connection.onConnected((event) => {
    connected.push(event);
    for (const resolve of waiters.splice(0)) resolve(event);
  });
  const nextConnected = (): Promise<ConnectedEvent> =>
    new Promise((resolve) => {
      waiters = [...waiters, resolve];
    });
  return { connection, tokens, clients, connected, nextConnected };
}

async function startDevice(device: Device): Promise<ConnectedEvent> {
  const connected = device.nextConnected();
  device.connection.start();
  return connected;
}

afterEach(async () => {
  for (const connection of connections.splice(0)) await connection.stop();
  for (const client of testClients.splice(0)) await client.close();
  for (const broker of brokers.splice(0)) await broker.dispose();
});

describe('DeviceConnection with mosquitto', () => {
  it('connects with the device id as client id and user name', async () => {
    const broker = await startBroker();
    const device = createDevice(broker);

    const event = await startDevice(device);
    const line = await broker.waitForLog(/New client connected from \S+ as (\S+) \((.*)\)\./);

    expect(event).toEqual({ planned: false, sessionPresent: false });
    expect(line[1]).toBe(DEVICE_ID);
    expect(line[2]).toBe(`p5, c0, k60, u'${DEVICE_ID}'`);
  });

  it('presents the refreshed token after CONNACK 135', async () => {
    const broker = await startBroker({ passwords: { [DEVICE_ID]: 'token-2' } });
    const device = createDevice(broker);

    await startDevice(device);

    expect(await broker.waitForLog(/Sending CONNACK to \S+ \(0, 135\)/)).toBeTruthy();
    expect(device.tokens.refreshCount).toBe(1);
    expect(device.connection.statsSnapshot().lastConnectRc).toBe(0);
  });

  it('leaves the Will retained when the socket breaks', async () => {
    const broker = await startBroker();
    const watcher = await testClient(broker, 'watcher');
    await watcher.subscribe(STATUS_TOPIC);
    const device = createDevice(broker);
    await startDevice(device);
    const reconnected = device.nextConnected();

    device.clients[0]?.stream.destroy();
    await watcher.waitForMessages(1);
    const event = await reconnected;
    const late = await testClient(broker, 'late');
    await late.subscribe(STATUS_TOPIC);
    await late.waitForMessages(1);

    expect(watcher.messages[0]?.payload).toBe(WILL_PAYLOAD);
    expect(late.messages[0]).toEqual({ topic: STATUS_TOPIC, payload: WILL_PAYLOAD, retain: true });
    expect(event.previousCause).toBe('connection_lost');
    expect(event.planned).toBe(false);
  });

  it('publishes the final Offline status retained on stop, and no Will', async () => {
    const broker = await startBroker();
    const watcher = await testClient(broker, 'watcher');
    await watcher.subscribe(STATUS_TOPIC);
    const device = createDevice(broker);
    await startDevice(device);
    const logFrom = broker.logLength;

    await device.connection.stop({ finalMessage: 'graceful shutdown' });
    await broker.waitForLog(/Client device-1 disconnected\./, logFrom);
    await watcher.roundTrip(STATUS_TOPIC);
    const late = await testClient(broker, 'late');
    await late.subscribe(STATUS_TOPIC);
    await late.waitForMessages(1);

    expect(watcher.messages.map((message) => message.payload)).toEqual([
      'graceful shutdown',
      'round-trip',
    ]);
    expect(late.messages[0]?.retain).toBe(true);
    expect(device.connection.state).toBe('stopped');
  });

  it('sends no Will on a token renewal reconnect', async () => {
    const broker = await startBroker();
    const watcher = await testClient(broker, 'watcher');
    await watcher.subscribe(STATUS_TOPIC);
    const device = createDevice(broker);
    await startDevice(device);
    const reconnected = device.nextConnected();

    device.tokens.renew();
    const event = await reconnected;
    await watcher.roundTrip(STATUS_TOPIC);

    expect(event.planned).toBe(true);
    expect(event.previousCause).toBe('token_renewed');
    expect(watcher.messages.map((message) => message.payload)).toEqual(['round-trip']);
    expect(device.clients).toHaveLength(2);
  });

  it('receives commands queued in the session during a planned reconnect', async () => {
    const broker = await startBroker();
    const commander = await testClient(broker, 'commander');
    const device = createDevice(broker);
    const received = firstMessage(device.connection);
    device.connection.subscribe(`owl/printers/${DEVICE_ID}/commands/#`, 1);
    await startDevice(device);
    const reconnected = device.nextConnected();
    const logFrom = broker.logLength;

    device.tokens.hold();
    device.tokens.renew();
    await broker.waitForLog(/Client device-1 disconnected\./, logFrom);
    await commander.publish(`owl/printers/${DEVICE_ID}/commands/print:pause`, '{"id":1}');
    device.tokens.release();
    const event = await reconnected;

    expect(event.sessionPresent).toBe(true);
    expect(await received).toBe(`owl/printers/${DEVICE_ID}/commands/print:pause {"id":1}`);
  });

  it('replays subscriptions after a broker restart', async () => {
    const broker = await startBroker();
    const device = createDevice(broker);
    const received = firstMessage(device.connection);
    device.connection.subscribe(`owl/printers/${DEVICE_ID}/commands/#`, 1);
    await startDevice(device);
    const reconnected = device.nextConnected();

    await broker.restart();
    const event = await reconnected;
    const commander = await testClient(broker, 'commander');
    await commander.publish(`owl/printers/${DEVICE_ID}/commands/print:resume`, '{}');

    expect(event.planned).toBe(false);
    expect(event.sessionPresent).toBe(false);
    expect(await received).toBe(`owl/printers/${DEVICE_ID}/commands/print:resume {}`);
    expect(device.connection.statsSnapshot().resubscribedTotal).toBe(2);
  });

  it('rejects a publish that the broker refuses with PUBACK 135', async () => {
    const broker = await startBroker({
      config: ['allow_anonymous true', 'acl_file {dir}/acl'],
      files: { acl: `user ${DEVICE_ID}\ntopic readwrite owl/printers/${DEVICE_ID}/#\n` },
    });
    const device = createDevice(broker);
    await startDevice(device);

    let error: CodedError | undefined;
    try {
      await device.connection.publish('owl/printers/other/status', '{}', { qos: 1 });
    } catch (caught) {
      error = caught as CodedError;
    }
    await device.connection.publish(STATUS_TOPIC, '{}', { qos: 1 });

    expect(error?.code).toBe('publish_failed');
    expect(error?.details['reasonCode']).toBe(135);
    expect(error?.message).toBe(
      'Broker rejected the publish to owl/printers/other/status: Publish error: Not authorized (reason code 135)',
    );
  });
});

/** Resolves with `topic payload` of the first message the connection delivers. */
function firstMessage(connection: DeviceConnection): Promise<string> {
  return new Promise((resolve) => {
    const listener = connection.onMessage((topic, payload) => {
      listener.dispose();
      resolve(`${topic} ${payload.toString()}`);
    });
  });
}
