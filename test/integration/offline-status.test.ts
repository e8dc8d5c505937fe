import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { EmbeddedBroker } from '../../main/local-cloud/broker/embedded-broker.js';
import type { PublishEvent } from '../../main/local-cloud/broker/broker-types.js';
import type { OwlPrincipal } from '../../main/local-cloud/broker/owl-topic-rules.js';
import type { PrinterBridge } from '../../main/bridge/printer-bridge.js';
import { OFFLINE_REASON_SHUTDOWN, OFFLINE_REASON_WILL } from '../../shared/contract/status.js';
import { channelTopic, disconnectEventTopic } from '../../shared/contract/topics.js';
import { ArrivalLog } from '../support/arrival-log.js';
import { BridgeRig } from '../support/bridge-rig.js';

const STEP_TIMEOUT_MS = 10_000;

let rig: BridgeRig;

beforeEach(() => {
  rig = new BridgeRig();
});

afterEach(async () => {
  await rig.dispose();
});

interface OfflineSetup {
  broker: EmbeddedBroker<OwlPrincipal>;
  bridge: PrinterBridge;
  deviceId: string;
  publishes: ArrivalLog<PublishEvent>;
}

async function startPrinter(): Promise<OfflineSetup> {
  const cloud = await rig.cloud();
  const broker = cloud.embeddedBroker;
  if (!broker) throw new Error('The local cloud started without its embedded broker');
  const publishes = new ArrivalLog<PublishEvent>((event) => event.topic);
  broker.onPublish((event) => publishes.push(event));
  const credentials = await rig.linkDevice(cloud);
  const printer = await rig.simulator({ mode: { kind: 'scenario', name: 'idle' } });
  const bridge = await rig.startBridge({
    moonraker: { url: printer.url },
    cloud: { baseUrl: cloud.endpoints.httpUrl, brokerUrl: cloud.endpoints.mqttUrl },
    credentials,
    reconnect: { initialSeconds: 0.5, maxSeconds: 1 },
  });
  await bridge.whenCloudConnected();
  return { broker, bridge, deviceId: credentials.deviceId, publishes };
}

/** Returns the lifecycle of the retained message on the device's status topic, if any. */
function retainedLifecycle(setup: OfflineSetup): Record<string, unknown> | undefined {
  const retained = setup.broker.retainedMessage(channelTopic(setup.deviceId, 'status'));
  if (!retained) return undefined;
  const envelope = JSON.parse(retained.payload.toString('utf8')) as {
    payload: { lifecycle: Record<string, unknown> };
  };
  return envelope.payload.lifecycle;
}

/**
 * Drops the device's connection at the broker, as a network failure would, and waits until the
 * device has reconnected and published a live status. Returns the retained lifecycle seen while
 * the device was away.
 */
async function dropAndReconnect(setup: OfflineSetup): Promise<Record<string, unknown> | undefined> {
  const statusTopic = channelTopic(setup.deviceId, 'status');
  const disconnectTopic = disconnectEventTopic(setup.deviceId);
  const published = setup.publishes.items.length;

  setup.broker.disconnectAll();
  const whileAway = await setup.publishes.waitFor(
    () => {
      const lifecycle = retainedLifecycle(setup);
      return lifecycle?.['reason'] === OFFLINE_REASON_WILL ? lifecycle : undefined;
    },
    STEP_TIMEOUT_MS,
    'the broker publishing the Will',
  );
  await setup.publishes.waitFor(
    (items) => {
      const recent = items.slice(published);
      const reconnect = recent.findIndex((event) => event.topic === disconnectTopic);
      if (reconnect < 0) return undefined;
      return recent.slice(reconnect).some((event) => event.topic === statusTopic) || undefined;
    },
    STEP_TIMEOUT_MS,
    'a live status after the reconnect',
  );
  return whileAway;
}

describe('retained Offline status', () => {
  it('reports a graceful stop', async () => {
    const setup = await startPrinter();

    await setup.bridge.stop();

    expect(retainedLifecycle(setup)).toEqual({
      phase: 'Offline',
      isHeating: false,
      hasActiveJob: false,
      isShutdown: false,
      reason: OFFLINE_REASON_SHUTDOWN,
    });
  });

  it('keeps the Will retained while the device is away', async () => {
    const setup = await startPrinter();

    const whileAway = await dropAndReconnect(setup);

    expect(whileAway).toEqual({
      phase: 'Offline',
      isHeating: false,
      hasActiveJob: false,
      isShutdown: false,
      reason: OFFLINE_REASON_WILL,
    });
  });

  // The broker keeps the Offline Will retained; the bridge retains its first live status after
  // the reconnect in its place, so a subscriber that arrives later does not read Offline.
  it('is no longer Offline once the device is back', async () => {
    const setup = await startPrinter();

    await dropAndReconnect(setup);

    expect(retainedLifecycle(setup)?.['phase']).not.toBe('Offline');
  });
});
