import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import {
  admissionSpanMs,
  DEFAULT_ADMISSION_LIMITS,
} from '../../main/service/fleet/admission-schedule.js';
import type { CommandStateItem } from '../../shared/contract/events.js';
import type { PrinterSummary } from '../../shared/control-api/printer-views.js';
import type { ArrivalLog } from '../support/arrival-log.js';
import { BridgeRig, type RunningSimulator } from '../support/bridge-rig.js';
import {
  ackOf,
  businessEventsOf,
  commandStatesOf,
  telemetryEnvelopeOf,
  type CloudMessage,
} from '../support/cloud-message.js';
import type { CloudObserver } from '../support/cloud-observer.js';
import { envelopeRequest } from '../support/command-requests.js';
import { busiestWindow, ConnectTimeline, countPerSecond } from '../support/connect-timeline.js';
import {
  startFleetService,
  useLocalCloud,
  waitForFleet,
  type RunningFleetService,
} from '../support/fleet-service-rig.js';
import type { MosquittoProcess } from '../support/mosquitto.js';
import { printStateOf } from '../support/simulator-access.js';

/**
 * 100 printers in this one process, each a scripted simulator sending Moonraker's status update
 * every 250 ms, and each with its own bridge. On a 2-core machine the whole test took about 30 s.
 */
const FLEET_SIZE = 100;
const UPDATE_INTERVAL_MS = 250;
/**
 * A quarter of a real printer's pace, so Klipper's 1.5 s PAUSE macro takes 6 s: a pause that is
 * accepted just before the outage completes while the broker is down.
 */
const SCENARIO_SPEED = 0.25;
/** Short reconnect waits, so that the connect budget paces the reconnects rather than backoff. */
const RECONNECT = { initialSeconds: 0.5, maxSeconds: 2, exponentialAttempts: 100 };
const RECONNECT_MAX_MS = RECONNECT.maxSeconds * 1000;
/** Control calls in flight at once while the fleet is set up. */
const SETUP_BATCH = 10;
const STEP_TIMEOUT_MS = 30_000;
const SECOND_MS = 1_000;
/**
 * An attempt is recorded when its MQTT client is created. The budget admits up to ten waiting
 * devices in one timer callback, their clients are then created one after another over the next
 * tens of milliseconds, and the next admissions come exactly one second after the first. So the
 * rolling second is checked over 950 ms.
 */
const ADMISSION_SLACK_MS = 50;

interface Fleet {
  broker: MosquittoProcess;
  observer: CloudObserver;
  running: RunningFleetService;
  simulators: RunningSimulator[];
  deviceIds: string[];
  timeline: ConnectTimeline;
}

let rig: BridgeRig;

beforeEach(() => {
  rig = new BridgeRig();
});

afterEach(async () => {
  await rig.dispose();
}, 60_000);

/** Resolves once `keyOf` has returned `count` distinct keys, scanning each item once. */
function waitForKeys<T>(
  log: ArrivalLog<T>,
  keyOf: (item: T) => string | undefined,
  count: number,
  description: string,
): Promise<Set<string>> {
  const keys = new Set<string>();
  let scanned = 0;
  return log.waitFor(
    (items) => {
      for (; scanned < items.length; scanned += 1) {
        const key = keyOf(items[scanned] as T);
        if (key !== undefined) keys.add(key);
      }
      return keys.size >= count ? keys : undefined;
    },
    STEP_TIMEOUT_MS,
    description,
  );
}

function phaseOf(message: CloudMessage): string | undefined {
  const body = message.body as { payload?: { lifecycle?: { phase?: string } } } | undefined;
  return body?.payload?.lifecycle?.phase;
}

/** Returns the device of a valid ack with `status`, else undefined. */
function ackingDevice(message: CloudMessage, status: string): string | undefined {
  if (message.kind !== 'ack' || message.problems.length > 0) return undefined;
  return ackOf(message).payload.status === status ? message.deviceId : undefined;
}

function cloudLevel(summary: PrinterSummary): string | undefined {
  return summary.health.find((link) => link.link === 'cloud')?.level;
}

function pauseId(deviceId: string): string {
  return `pause-${deviceId}`;
}

async function inBatches<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let index = 0; index < items.length; index += SETUP_BATCH) {
    results.push(...(await Promise.all(items.slice(index, index + SETUP_BATCH).map(work))));
  }
  return results;
}

/**
 * Starts mosquitto, the local cloud on it, the simulators and the service, then adds and links
 * every printer through the control API.
 */
async function startFleet(): Promise<Fleet> {
  // Persistence keeps the observer's session across the restart, so what devices publish
  // while the observer reconnects is queued for it.
  const broker = await rig.mosquitto({ allowAnonymous: true, persistence: true });
  const cloud = await rig.cloud({ broker: { kind: 'external', url: broker.url } });
  const observer = await rig.observer({
    url: broker.url,
    persistentSession: { clientId: 'owl-operator-fleet' },
  });
  const simulators: RunningSimulator[] = [];
  for (let index = 0; index < FLEET_SIZE; index += 1) {
    const simulator = await rig.simulator({
      mode: { kind: 'scenario', name: 'printing', speed: SCENARIO_SPEED },
      updateIntervalMs: UPDATE_INTERVAL_MS,
    });
    simulators.push(simulator);
  }
  const timeline = new ConnectTimeline();
  const running = await startFleetService(rig, {
    recordEvents: false,
    runtime: { reconnect: RECONNECT, bridgeSeams: { mqttConnect: timeline.mqttConnect } },
  });
  await useLocalCloud(running, cloud, broker.url);

  const printers = await inBatches(simulators, (simulator) =>
    running.client.call('printers.add', {
      host: '127.0.0.1',
      port: Number(new URL(simulator.url).port),
    }),
  );
  const linked = await inBatches(printers, async (printer) => {
    const { code } = await cloud.operator().mintLinkCode();
    return running.client.call('link.withCode', { printerId: printer.id, code });
  });
  const deviceIds = linked.map((summary) => summary.deviceId ?? '');
  return { broker, observer, running, simulators, deviceIds, timeline };
}

/** Sends a pause to every printer and waits until each has acknowledged it as accepted. */
async function pauseEveryPrinter(fleet: Fleet): Promise<void> {
  for (const deviceId of fleet.deviceIds) {
    const request = envelopeRequest(deviceId, pauseId(deviceId), 'print:pause');
    await fleet.observer.sendCommand(deviceId, 'print:pause', request);
  }
  await waitForKeys(
    fleet.observer.messages,
    (message) => ackingDevice(message, 'accepted'),
    FLEET_SIZE,
    'an accepted ack of the pause from every printer',
  );
}

/** Stops mosquitto and waits until every bridge noticed and every printer paused. */
async function breakBroker(fleet: Fleet, pauseSentAt: number): Promise<void> {
  await fleet.broker.stop();
  await waitForFleet(
    fleet.running,
    (summaries) => summaries.every((summary) => cloudLevel(summary) !== 'ok'),
    STEP_TIMEOUT_MS,
    'every printer reporting its cloud link down',
  );
  await Promise.all(
    fleet.simulators.map((simulator) =>
      simulator.frames.waitForItem(
        (frame) => frame.sentAt > pauseSentAt && printStateOf(frame) === 'paused',
        STEP_TIMEOUT_MS,
        `the printer at ${simulator.url} pausing`,
      ),
    ),
  );
}

/**
 * Waits for what every printer produced during the outage: the completed ack of its pause, the
 * completed command state and the print:paused event. The completed ack can arrive before the
 * events message with the completed command state, so each is waited for.
 */
async function waitForOutageDeliveries(observer: CloudObserver): Promise<void> {
  await waitForKeys(
    observer.messages,
    (message) => ackingDevice(message, 'completed'),
    FLEET_SIZE,
    'a completed ack of the pause from every printer',
  );
  await waitForKeys(
    observer.messages,
    (message) => eventsDevice(message, () => commandStatesOf(message).some(isCompletedPause)),
    FLEET_SIZE,
    'the completed command state of the pause from every printer',
  );
  await waitForKeys(
    observer.messages,
    (message) =>
      eventsDevice(message, () =>
        businessEventsOf(message).some((event) => event.eventName === 'print:paused'),
      ),
    FLEET_SIZE,
    'a print:paused event from every printer',
  );
}

/** Returns the device of a valid events message for which `check` holds, else undefined. */
function eventsDevice(message: CloudMessage, check: () => boolean): string | undefined {
  if (message.kind !== 'events' || message.problems.length > 0) return undefined;
  return check() ? message.deviceId : undefined;
}

function isCompletedPause(item: CommandStateItem): boolean {
  return item.data.commandId.startsWith('pause-') && item.data.state === 'completed';
}

/**
 * Returns one device's messages of one kind with each `$id` once, and how many copies were
 * dropped. mosquitto sends a QoS 1 message again, with the same `$id`, when the subscriber's
 * PUBACK had not reached it before it stopped, and Owl Cloud drops such copies by `$id`.
 */
function distinctMessages(
  observer: CloudObserver,
  deviceId: string,
  kind: CloudMessage['kind'],
): { messages: CloudMessage[]; copies: number } {
  const seen = new Set<string>();
  const messages: CloudMessage[] = [];
  const all = observer.ofKind(deviceId, kind);
  for (const message of all) {
    const id = (message.body as { $id?: string } | undefined)?.$id ?? '';
    if (seen.has(id)) continue;
    seen.add(id);
    messages.push(message);
  }
  return { messages, copies: all.length - messages.length };
}

/**
 * Checks that each printer's pause acks, command states, print:paused event and events sequence
 * arrived exactly once, and returns the number of redelivered copies that were dropped.
 */
function expectDeliveredOnce(fleet: Fleet, restartedAt: number): number {
  let copies = 0;
  for (const deviceId of fleet.deviceIds) {
    const acks = distinctMessages(fleet.observer, deviceId, 'ack');
    const pauseAcks = acks.messages
      .map((message) => ({ message, ack: ackOf(message) }))
      .filter(({ ack }) => ack.payload.commandId === pauseId(deviceId));
    const statuses = pauseAcks.map(({ ack }) => `${ack.payload.status}/${ack.payload.stage}`);
    expect(statuses, deviceId).toEqual(['accepted/dispatch', 'completed/execution']);
    expect(pauseAcks[1]?.message.receivedAt, deviceId).toBeGreaterThan(restartedAt);

    const events = distinctMessages(fleet.observer, deviceId, 'events');
    const states = events.messages
      .flatMap(commandStatesOf)
      .filter((item) => item.data.commandId === pauseId(deviceId))
      .map((item) => item.data.state);
    expect(states, deviceId).toEqual(['dispatched', 'accepted', 'completed']);
    const paused = events.messages
      .flatMap(businessEventsOf)
      .filter((event) => event.eventName === 'print:paused');
    expect(paused, deviceId).toHaveLength(1);
    const seqs = events.messages.map((message) => telemetryEnvelopeOf(message).$seq);
    expect(seqs, deviceId).toEqual(seqs.map((_, index) => index + 1));
    copies += acks.copies + events.copies;
  }
  return copies;
}

/** Describes the reconnect timings in one line of test output. */
function describeReconnects(
  reconnectTimes: readonly number[],
  attemptTimes: readonly number[],
  times: { outageStartedAt: number; restartStartedAt: number },
): string {
  const lastBackMs = Math.max(...reconnectTimes) - times.restartStartedAt;
  const perSecond = countPerSecond(reconnectTimes, times.restartStartedAt).join(',');
  const busiest = busiestWindow(attemptTimes, SECOND_MS - ADMISSION_SLACK_MS);
  return (
    `${FLEET_SIZE} devices: outage ${Math.round(times.restartStartedAt - times.outageStartedAt)} ms, ` +
    `last back ${Math.round(lastBackMs)} ms after the restart started, CONNACKs per second ` +
    `${perSecond}, at most ${busiest} of ${attemptTimes.length} attempts within 950 ms`
  );
}

describe('fleet of 100 printers', () => {
  it('reconnects within the budget after a broker restart', { timeout: 150_000 }, async () => {
    const fleet = await startFleet();
    const { broker, observer, timeline } = fleet;
    await waitForKeys(
      observer.messages,
      (message) =>
        message.kind === 'status' && phaseOf(message) === 'Printing' ? message.deviceId : undefined,
      FLEET_SIZE,
      'a Printing status from every printer',
    );
    const pauseSentAt = performance.now();
    await pauseEveryPrinter(fleet);

    const outageStartedAt = performance.now();
    await breakBroker(fleet, pauseSentAt);
    const restartStartedAt = performance.now();
    await broker.restart();
    expect(await observer.reconnect()).toBe(true);
    const reconnects = await timeline.waitForAllConnected(
      new Set(fleet.deviceIds),
      restartStartedAt,
      STEP_TIMEOUT_MS,
    );
    await waitForOutageDeliveries(observer);

    const reconnectTimes = reconnects.map((record) => record.at);
    // NOTE: the first connects are left out of the rolling-second check. A device fetches its
    // first token over HTTP between its admission and its CONNECT, which bunches those
    // CONNECTs: 11 within 950 ms were seen while the fleet was being linked.
    const attemptTimes = timeline.attemptsSince(outageStartedAt).map((record) => record.at);
    const copies = expectDeliveredOnce(fleet, restartStartedAt);
    console.info(
      `${describeReconnects(reconnectTimes, attemptTimes, { outageStartedAt, restartStartedAt })}; ` +
        `${copies} redelivered copies dropped by $id`,
    );
    expect(busiestWindow(attemptTimes, SECOND_MS - ADMISSION_SLACK_MS)).toBeLessThanOrEqual(
      DEFAULT_ADMISSION_LIMITS.ratePerSecond,
    );
    const budgetSpanMs = admissionSpanMs(FLEET_SIZE, DEFAULT_ADMISSION_LIMITS);
    expect(Math.max(...reconnectTimes) - restartStartedAt).toBeLessThanOrEqual(
      budgetSpanMs + RECONNECT_MAX_MS + SECOND_MS,
    );
    for (const simulator of fleet.simulators) {
      const paused = simulator.frames.items.find(
        (frame) => frame.sentAt > pauseSentAt && printStateOf(frame) === 'paused',
      );
      expect(paused?.sentAt, simulator.url).toBeGreaterThan(outageStartedAt);
    }
    expect(observer.problems()).toEqual([]);
  });
});
