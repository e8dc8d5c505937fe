import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { delay, systemClock } from '../../main/support/clock.js';
import { BridgeRig } from '../support/bridge-rig.js';
import { ackOf } from '../support/cloud-message.js';
import type { CloudObserver } from '../support/cloud-observer.js';
import { envelopeRequest, legacyRequest } from '../support/command-requests.js';
import { postToPrinter, printerReaches } from '../support/simulator-access.js';

/** How long mosquitto stays down. */
const OUTAGE_MS = 30_000;
/** Half a real printer's pace, so each of Klipper's pause and resume macros takes 3 s. */
const SCENARIO_SPEED = 0.5;
const STEP_TIMEOUT_MS = 15_000;

let rig: BridgeRig;

beforeEach(() => {
  rig = new BridgeRig();
});

afterEach(async () => {
  await rig.dispose();
});

function ackStatuses(observer: CloudObserver, deviceId: string, commandId: string): string[] {
  return observer
    .acks(deviceId, commandId)
    .map(({ ack }) => `${ack.payload.status}/${ack.payload.stage}`);
}

describe('broker outage', () => {
  it('delivers outage events and acks once, in order', { timeout: 90_000 }, async () => {
    // Persistence keeps both sessions and the observer's queued messages across the restart,
    // so it does not matter whether the observer or the bridge is back first.
    const broker = await rig.mosquitto({ allowAnonymous: true, persistence: true });
    const cloud = await rig.cloud({ broker: { kind: 'external', url: broker.url } });
    const observer = await rig.observer({
      url: broker.url,
      persistentSession: { clientId: 'owl-operator' },
    });
    const credentials = await rig.linkDevice(cloud);
    const { deviceId } = credentials;
    const printer = await rig.simulator({
      mode: { kind: 'scenario', name: 'printing', speed: SCENARIO_SPEED },
    });
    const bridge = await rig.startBridge({
      moonraker: { url: printer.url },
      cloud: { baseUrl: cloud.endpoints.httpUrl, brokerUrl: broker.url },
      credentials,
      // The default of 10 doubling attempts ends after about 14 s here, and then waits are 900 s.
      reconnect: { initialSeconds: 0.5, maxSeconds: 2, exponentialAttempts: 100 },
    });
    await observer.waitForEvent(deviceId, 'print:started', STEP_TIMEOUT_MS);

    const pausing = printerReaches(printer, 'paused', performance.now(), STEP_TIMEOUT_MS);
    const pause = envelopeRequest(deviceId, 'pause-1', 'print:pause');
    await observer.sendCommand(deviceId, 'print:pause', pause);
    await observer.waitForAck(deviceId, 'pause-1', 'accepted', STEP_TIMEOUT_MS);
    await observer.messages.waitFor(
      () => (observer.commandStates(deviceId, 'pause-1').includes('accepted') ? true : undefined),
      STEP_TIMEOUT_MS,
      'the accepted command state of pause-1',
    );

    await broker.stop();
    const outageStartedAt = performance.now();
    const pausedAt = await pausing;
    const resuming = printerReaches(printer, 'printing', pausedAt, STEP_TIMEOUT_MS);
    await postToPrinter(printer.url, '/printer/print/resume');
    const resumedAt = await resuming;
    const pausingAgain = printerReaches(printer, 'paused', resumedAt, STEP_TIMEOUT_MS);
    await postToPrinter(printer.url, '/printer/print/pause');
    await pausingAgain;
    await delay(systemClock, OUTAGE_MS - (performance.now() - outageStartedAt));
    const heldDuringOutage = bridge.snapshot().outbox;

    await broker.restart();
    const restartedAt = performance.now();
    const sessionPresent = await observer.reconnect();
    await observer.messages.waitForItem(
      (message) => message.kind === 'disconnect' && message.deviceId === deviceId,
      STEP_TIMEOUT_MS,
      'the disconnect event after the reconnect',
    );
    // The acks and events of a command sent after the outage queue behind everything replayed.
    const resume = legacyRequest('resume-after', 'print:resume');
    await observer.sendCommand(deviceId, 'print:resume', resume);
    await observer.waitForAck(deviceId, 'resume-after', 'completed', STEP_TIMEOUT_MS);
    await observer.waitForEvent(deviceId, 'print:resumed', STEP_TIMEOUT_MS, 2);

    expect(pausedAt).toBeGreaterThan(outageStartedAt);
    expect(heldDuringOutage?.pending).toBeGreaterThanOrEqual(4);
    expect(sessionPresent).toBe(true);
    expect(observer.eventNames(deviceId)).toEqual([
      'print:started',
      'print:paused',
      'print:resumed',
      'print:paused',
      'print:resumed',
    ]);
    const envelopes = observer.eventEnvelopes(deviceId);
    const seqs = envelopes.map((envelope) => envelope.$seq);
    expect(seqs).toEqual(seqs.map((_, index) => index + 1));
    expect(new Set(envelopes.map((envelope) => envelope.$id)).size).toBe(envelopes.length);
    const outageEvents = observer
      .ofKind(deviceId, 'events')
      .filter((message) => message.receivedAt > restartedAt);
    expect(outageEvents.length).toBeGreaterThanOrEqual(3);

    expect(ackStatuses(observer, deviceId, 'pause-1')).toEqual([
      'accepted/dispatch',
      'completed/execution',
    ]);
    expect(observer.acks(deviceId, 'pause-1')[1]?.message.receivedAt).toBeGreaterThan(restartedAt);
    expect(observer.commandStates(deviceId, 'pause-1')).toEqual([
      'dispatched',
      'accepted',
      'completed',
    ]);
    expect(ackStatuses(observer, deviceId, 'resume-after')).toEqual([
      'accepted/dispatch',
      'completed/execution',
    ]);
    const ackIds = observer.ofKind(deviceId, 'ack').map((message) => ackOf(message).$id);
    expect(new Set(ackIds).size).toBe(ackIds.length);

    const disconnects = observer.ofKind(deviceId, 'disconnect');
    expect(disconnects).toHaveLength(1);
    expect(disconnects[0]?.body).toMatchObject({
      payload: { cause: 'connection_lost', reasonCode: 0, willReconnect: true },
    });
    expect(observer.problems()).toEqual([]);
  });
});
