import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { BridgeRig } from '../support/bridge-rig.js';
import { telemetryEnvelopeOf } from '../support/cloud-message.js';

/**
 * The scenario heats up, prints for 20 s, stops the printer and restarts its firmware 5 s later.
 * At twenty times a real printer's pace, that takes about 6 s.
 */
const SCENARIO_SPEED = 20;
const EVENT_TIMEOUT_MS = 30_000;

let rig: BridgeRig;

beforeEach(() => {
  rig = new BridgeRig();
});

afterEach(async () => {
  await rig.dispose();
});

describe('emergency stop mid-print', () => {
  it('reports shutdown, failure and ready in order', { timeout: 60_000 }, async () => {
    const cloud = await rig.cloud();
    const { httpUrl, mqttUrl, operatorMqtt } = cloud.endpoints;
    const observer = await rig.observer({ url: mqttUrl, login: operatorMqtt });
    const credentials = await rig.linkDevice(cloud);
    const printer = await rig.simulator({
      mode: { kind: 'scenario', name: 'emergency-stop', speed: SCENARIO_SPEED },
    });
    const { deviceId } = credentials;

    await rig.startBridge({
      moonraker: { url: printer.url },
      cloud: { baseUrl: httpUrl, brokerUrl: mqttUrl },
      credentials,
    });
    await observer.waitForEvent(deviceId, 'klippy:ready', EVENT_TIMEOUT_MS);
    const readyIndex = observer.messages.items.length;
    const idle = await observer.messages.waitFor(
      (items) => items.slice(readyIndex).find((message) => message.kind === 'status'),
      EVENT_TIMEOUT_MS,
      'the first status after the restart',
    );

    const received = observer.businessEvents(deviceId);
    const events = received.map(({ event }) => event);
    expect(events.map((event) => event.eventName)).toEqual([
      'print:started',
      'klippy:shutdown',
      'print:failed',
      'klippy:ready',
    ]);
    const seqs = received.map(({ seq }) => seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const [started, shutdown, failed, ready] = events;
    const file = started?.data?.['filename'];
    expect(started?.message).toBe(`Print started: ${String(file)}`);
    expect(shutdown?.message).toBe('Klippy shutdown: Shutdown due to webhooks request');
    expect(shutdown?.severity).toBe('critical');
    expect(failed?.message).toBe(`Print failed: ${String(file)}`);
    expect(failed?.sessionId).toBe(started?.sessionId);
    expect(failed?.data?.['endReason']).toBe('error:klippy_shutdown');
    expect(ready?.message).toBe('Klippy ready');
    expect(telemetryEnvelopeOf(idle).payload['lifecycle']).toEqual({
      phase: 'Idle',
      isHeating: false,
      hasActiveJob: false,
      isShutdown: false,
    });
    expect(observer.problems()).toEqual([]);
  });
});
