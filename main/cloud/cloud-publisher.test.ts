import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { systemClock } from '../support/clock.js';
import { silentLogger } from '../support/logger.js';
import { FakeTokenSource } from './__testing__/fake-token-source.js';
import { MqttTestClient } from './__testing__/mqtt-test-client.js';
import { MosquittoProcess } from './__testing__/spawn-mosquitto.js';
import { CloudPublisher, outboxPublishVia } from './cloud-publisher.js';
import type { ConnectedEvent, DisconnectedEvent } from './connection-events.js';
import { DeviceConnection } from './device-connection.js';
import { DurableOutbox } from './durable-outbox.js';
import { LatestValueBuffer } from './latest-value-buffer.js';

const DEVICE_ID = 'device-1';
const EVENTS_TOPIC = `owl/printers/${DEVICE_ID}/events`;
const STATUS_TOPIC = `owl/printers/${DEVICE_ID}/status`;

let broker: MosquittoProcess;
let folder: string;
let tokens: FakeTokenSource;
let connection: DeviceConnection;
let outbox: DurableOutbox;
let publisher: CloudPublisher;
let watcher: MqttTestClient | null;

function nextEvent<T>(
  subscribe: (listener: (event: T) => void) => { dispose(): void },
): Promise<T> {
  return new Promise((resolve) => {
    const subscription = subscribe((event) => {
      subscription.dispose();
      resolve(event);
    });
  });
}

beforeEach(async () => {
  broker = await MosquittoProcess.start();
  folder = await mkdtemp(join(tmpdir(), 'owl-publisher-'));
  tokens = new FakeTokenSource();
  watcher = null;
  connection = new DeviceConnection({
    brokerUrl: broker.url,
    deviceId: DEVICE_ID,
    tokens,
    clock: systemClock,
    logger: silentLogger,
    random: () => 0,
    reconnect: { initialSeconds: 0.5, jitterRatio: 1 },
    willPayload: () => 'offline',
  });
  outbox = await DurableOutbox.open({
    folder,
    publish: outboxPublishVia(connection),
    clock: systemClock,
    logger: silentLogger,
  });
  publisher = new CloudPublisher({
    connection,
    latest: new LatestValueBuffer(silentLogger),
    outbox,
    logger: silentLogger,
  });
  const connected = nextEvent<ConnectedEvent>((listener) => connection.onConnected(listener));
  connection.start();
  await connected;
});

afterEach(async () => {
  publisher.dispose();
  await connection.stop();
  await outbox.close();
  await watcher?.close();
  await broker.dispose();
  await rm(folder, { recursive: true, force: true });
});

/** Stops the broker and waits until the device noticed, with reconnect attempts on hold. */
async function takeBrokerDown(): Promise<void> {
  const disconnected = nextEvent<DisconnectedEvent>((listener) =>
    connection.onDisconnected(listener),
  );
  tokens.hold();
  await broker.stop();
  await disconnected;
}

/** Starts the broker again with a watcher subscribed, then lets the device reconnect. */
async function bringBrokerBack(): Promise<MqttTestClient> {
  await broker.restart();
  watcher = await MqttTestClient.connect(broker.url, 'watcher');
  await watcher.subscribe(`owl/printers/${DEVICE_ID}/#`);
  const connected = nextEvent<ConnectedEvent>((listener) => connection.onConnected(listener));
  tokens.release();
  await connected;
  return watcher;
}

describe('CloudPublisher with mosquitto', () => {
  it('delivers events queued during an outage exactly once and in order', async () => {
    await takeBrokerDown();
    const payloads = Array.from({ length: 20 }, (_, index) => `event-${index + 1}`);
    for (const payload of payloads) {
      await publisher.publishDurable({ topic: EVENTS_TOPIC, payload, qos: 2 });
    }

    const watching = await bringBrokerBack();
    await outbox.drained();
    await connection.publish(EVENTS_TOPIC, 'marker', { qos: 2 });
    await watching.waitForMessages(21);

    expect(watching.messages.map((message) => message.payload)).toEqual([...payloads, 'marker']);
    expect(outbox.stats()).toMatchObject({ pending: 0, deliveredTotal: 20, replayedTotal: 20 });
  });

  it('publishes the newest status before replaying events', async () => {
    await takeBrokerDown();
    await publisher.publishLatest({ topic: STATUS_TOPIC, payload: 'status-1', qos: 1 });
    await publisher.publishDurable({ topic: EVENTS_TOPIC, payload: 'event-1', qos: 2 });
    await publisher.publishLatest({ topic: STATUS_TOPIC, payload: 'status-2', qos: 1 });
    await publisher.publishDurable({ topic: EVENTS_TOPIC, payload: 'event-2', qos: 2 });

    const watching = await bringBrokerBack();
    await outbox.drained();
    await watching.waitForMessages(3);

    expect(watching.messages.map((message) => `${message.topic} ${message.payload}`)).toEqual([
      `${STATUS_TOPIC} status-2`,
      `${EVENTS_TOPIC} event-1`,
      `${EVENTS_TOPIC} event-2`,
    ]);
  });

  it('publishes status at once while connected', async () => {
    watcher = await MqttTestClient.connect(broker.url, 'watcher');
    await watcher.subscribe(STATUS_TOPIC);

    await publisher.publishLatest({ topic: STATUS_TOPIC, payload: 'live', qos: 1 });
    await watcher.waitForMessages(1);

    expect(watcher.messages[0]?.payload).toBe('live');
  });
});
