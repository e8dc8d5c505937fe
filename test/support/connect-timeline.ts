import mqtt from 'mqtt';

import type { MqttConnectFunction } from '../../main/cloud/mqtt-client-handle.js';
import { ArrivalLog } from './arrival-log.js';

/** One device's connect attempt or CONNACK, at `performance.now()` time. */
export interface ConnectRecord {
  /** The MQTT client id, which is the device id. */
  readonly deviceId: string;
  readonly at: number;
}

/**
 * Records when each device starts an MQTT connect attempt and when the broker accepts it.
 * `mqttConnect` goes into the bridges' seam and creates real mqtt.js clients. A device creates
 * its client right after the fleet's connect budget admits it, unless it first has to fetch a
 * token, so attempt times show the budget's pacing.
 */
export class ConnectTimeline {
  readonly attempts = new ArrivalLog<ConnectRecord>(describeRecord);
  readonly connects = new ArrivalLog<ConnectRecord>(describeRecord);

  readonly mqttConnect: MqttConnectFunction = (brokerUrl, options) => {
    const deviceId = options.clientId ?? '';
    this.attempts.push({ deviceId, at: performance.now() });
    const client = mqtt.connect(brokerUrl, options);
    client.on('connect', () => this.connects.push({ deviceId, at: performance.now() }));
    return client;
  };

  attemptsSince(at: number): ConnectRecord[] {
    return this.attempts.items.filter((record) => record.at >= at);
  }

  connectsSince(at: number): ConnectRecord[] {
    return this.connects.items.filter((record) => record.at >= at);
  }

  /** Waits until every device in `deviceIds` has connected at or after `at`. */
  waitForAllConnected(
    deviceIds: ReadonlySet<string>,
    at: number,
    timeoutMs: number,
  ): Promise<ConnectRecord[]> {
    const connected = new Set<string>();
    let scanned = 0;
    return this.connects.waitFor(
      (items) => {
        for (; scanned < items.length; scanned += 1) {
          const record = items[scanned];
          if (record && record.at >= at && deviceIds.has(record.deviceId)) {
            connected.add(record.deviceId);
          }
        }
        return connected.size >= deviceIds.size ? this.connectsSince(at) : undefined;
      },
      timeoutMs,
      `all ${deviceIds.size} devices connected`,
    );
  }
}

/** Returns the largest number of `times` within any half-open window of `windowMs`. */
export function busiestWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((left, right) => left - right);
  let busiest = 0;
  let end = 0;
  for (let start = 0; start < sorted.length; start += 1) {
    const limit = (sorted[start] ?? 0) + windowMs;
    while (end < sorted.length && (sorted[end] ?? 0) < limit) end += 1;
    busiest = Math.max(busiest, end - start);
  }
  return busiest;
}

/** Counts the `times` in each whole second after `origin`, from second 0 to the last one. */
export function countPerSecond(times: readonly number[], origin: number): number[] {
  const counts: number[] = [];
  for (const time of times) {
    const second = Math.max(0, Math.floor((time - origin) / 1000));
    while (counts.length <= second) counts.push(0);
    counts[second] = (counts[second] ?? 0) + 1;
  }
  return counts;
}

function describeRecord(record: ConnectRecord): string {
  return `${Math.round(record.at)} ${record.deviceId}`;
}
