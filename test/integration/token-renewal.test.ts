import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type {
  ClientConnectedEvent,
  ClientDisconnectedEvent,
} from '../../main/local-cloud/broker/broker-types.js';
import type { OwlPrincipal } from '../../main/local-cloud/broker/owl-topic-rules.js';
import { ackTopic } from '../../shared/contract/topics.js';
import { ArrivalLog } from '../support/arrival-log.js';
import { BridgeRig } from '../support/bridge-rig.js';
import { legacyRequest } from '../support/command-requests.js';
import { postToPrinter, printerReaches } from '../support/simulator-access.js';

/**
 * Tokens live 60 s, the shortest lifetime the contract allows. The device renews after
 * max(60 s, 0.85 × lifetime − 120 s), so the planned reconnect comes 60 s after the last token.
 */
const TOKEN_LIFETIME_SECONDS = 60;
const RENEWAL_TIMEOUT_MS = 80_000;
const STEP_TIMEOUT_MS = 10_000;
/** At four times a real printer's pace, the demo print lasts minutes and a macro under 0.4 s. */
const SCENARIO_SPEED = 4;

/** A connect or disconnect of the device at the broker, with its `performance.now()` time. */
type BrokerEvent =
  | { kind: 'connected'; at: number; event: ClientConnectedEvent<OwlPrincipal> }
  | { kind: 'disconnected'; at: number; event: ClientDisconnectedEvent };

let rig: BridgeRig;

beforeEach(() => {
  rig = new BridgeRig();
});

afterEach(async () => {
  await rig.dispose();
});

describe('token renewal mid-print', () => {
  it('reconnects without losing the print or commands', { timeout: 100_000 }, async () => {
    const cloud = await rig.cloud({ tokenLifetimeSeconds: TOKEN_LIFETIME_SECONDS });
    const broker = cloud.embeddedBroker;
    if (!broker) throw new Error('The local cloud started without its embedded broker');
    const { httpUrl, mqttUrl, operatorMqtt } = cloud.endpoints;
    const observer = await rig.observer({ url: mqttUrl, login: operatorMqtt });
    const credentials = await rig.linkDevice(cloud);
    const { deviceId } = credentials;

    const brokerEvents = new ArrivalLog<BrokerEvent>(
      (entry) => `${entry.kind} ${JSON.stringify(entry.event)}`,
    );
    const issuedTokens = new ArrivalLog<number>();
    broker.onClientConnected((event) => {
      if (event.clientId !== deviceId) return;
      brokerEvents.push({ kind: 'connected', at: performance.now(), event });
    });
    broker.onClientDisconnected((event) => {
      if (event.clientId !== deviceId) return;
      brokerEvents.push({ kind: 'disconnected', at: performance.now(), event });
    });
    cloud.http.authority.onTokenIssued((issued) => {
      if (issued.deviceId === deviceId) issuedTokens.push(performance.now());
    });

    const printer = await rig.simulator({
      mode: { kind: 'scenario', name: 'printing', speed: SCENARIO_SPEED },
    });
    const bridge = await rig.startBridge({
      moonraker: { url: printer.url },
      cloud: { baseUrl: httpUrl, brokerUrl: mqttUrl },
      credentials,
      // Long enough that the resume below stays pending across the reconnect.
      commandStateTimeoutSeconds: 150,
    });
    await observer.waitForEvent(deviceId, 'print:started', STEP_TIMEOUT_MS);

    // A resume while printing waits for the next change to `printing`, so it stays pending.
    await observer.sendCommand(deviceId, 'print:resume', legacyRequest('resume-1', 'print:resume'));
    await observer.waitForAck(deviceId, 'resume-1', 'accepted', STEP_TIMEOUT_MS);
    const tokensBefore = issuedTokens.items.length;

    const connects = (): BrokerEvent[] =>
      brokerEvents.items.filter((entry) => entry.kind === 'connected');
    await brokerEvents.waitFor(
      () => (connects().length >= 2 ? true : undefined),
      RENEWAL_TIMEOUT_MS,
      'the reconnect after the token renewal',
    );
    await bridge.whenCloudConnected();

    const paused = printerReaches(printer, 'paused', performance.now(), STEP_TIMEOUT_MS);
    await postToPrinter(printer.url, '/printer/print/pause');
    await paused;
    await postToPrinter(printer.url, '/printer/print/resume');
    await observer.waitForAck(deviceId, 'resume-1', 'completed', STEP_TIMEOUT_MS);
    await observer.waitForEvent(deviceId, 'print:resumed', STEP_TIMEOUT_MS);

    expect(brokerEvents.items.map((entry) => entry.kind)).toEqual([
      'connected',
      'disconnected',
      'connected',
    ]);
    const [, dropped, again] = brokerEvents.items;
    expect(dropped?.event).toMatchObject({ clientId: deviceId, reason: 'client-disconnect' });
    expect(again?.event).toMatchObject({ clientId: deviceId, sessionPresent: true });
    const renewedAt = issuedTokens.items[tokensBefore] ?? Number.POSITIVE_INFINITY;
    expect(renewedAt).toBeLessThan(dropped?.at ?? 0);

    const topic = ackTopic(deviceId, 'print:resume');
    const received = observer.acks(deviceId, 'resume-1');
    expect(received[0]?.message.receivedAt).toBeLessThan(dropped?.at ?? 0);
    expect(received[1]?.message.receivedAt).toBeGreaterThan(again?.at ?? Infinity);
    const acks = received.map(({ message, ack }) => ({
      topic: message.topic,
      status: ack.payload.status,
      stage: ack.payload.stage,
      reason: ack.payload.reason,
    }));
    expect(acks).toEqual([
      { topic, status: 'accepted', stage: 'dispatch', reason: undefined },
      { topic, status: 'completed', stage: 'execution', reason: undefined },
    ]);
    expect(observer.eventNames(deviceId)).toEqual([
      'print:started',
      'print:paused',
      'print:resumed',
    ]);
    expect(observer.ofKind(deviceId, 'disconnect')).toEqual([]);
    expect(observer.problems()).toEqual([]);
  });
});
