import mqtt, { type MqttClient } from 'mqtt';

import { TOPIC_ROOT } from '../shared/contract/topics.js';
import type { ChannelTraffic, EventReceipt, ProbeEventName } from './host-protocols.js';
import { PROBE_EVENTS } from './host-protocols.js';

const PROBE_EVENT_NAMES: readonly string[] = Object.values(PROBE_EVENTS);

/**
 * An operator MQTT client that subscribes to every device topic, as the cloud would, and records
 * the traffic per channel and the receipt time of each print:paused and print:resumed event.
 */
export class MeasuringSubscriber {
  private channels: Record<string, ChannelTraffic> = {};
  private readonly receipts: EventReceipt[] = [];
  private readonly lastEvents = new Map<string, ProbeEventName>();

  private constructor(private readonly client: MqttClient) {
    client.on('message', (topic, payload) => this.record(performance.now(), topic, payload));
  }

  static async connect(
    mqttUrl: string,
    login: { username: string; password: string },
  ): Promise<MeasuringSubscriber> {
    const client = await mqtt.connectAsync(mqttUrl, {
      protocolVersion: 5,
      clientId: `owl-bench-subscriber-${process.pid}`,
      username: login.username,
      password: login.password,
      reconnectPeriod: 1_000,
    });
    const subscriber = new MeasuringSubscriber(client);
    await client.subscribeAsync(`${TOPIC_ROOT}/#`, { qos: 1 });
    return subscriber;
  }

  /** Returns the traffic per channel since the previous call and starts counting anew. */
  takeTraffic(): Record<string, ChannelTraffic> {
    const traffic = this.channels;
    this.channels = {};
    return traffic;
  }

  probeReceipts(): EventReceipt[] {
    return this.receipts;
  }

  /** Returns the last print:paused or print:resumed event received from a device. */
  lastProbeEvent(deviceId: string): ProbeEventName | undefined {
    return this.lastEvents.get(deviceId);
  }

  close(): Promise<void> {
    return this.client.endAsync();
  }

  private record(receivedAt: number, topic: string, payload: Buffer): void {
    // Topics are owl/printers/{deviceId}/{channel}[/...], and acks/{command} counts as acks.
    const [, , deviceId = '', channel = ''] = topic.split('/');
    const traffic = (this.channels[channel] ??= { messages: 0, bytes: 0 });
    traffic.messages += 1;
    traffic.bytes += Buffer.byteLength(topic) + payload.length;
    if (channel === 'events') this.recordEvents(deviceId, receivedAt, payload);
  }

  private recordEvents(deviceId: string, receivedAt: number, payload: Buffer): void {
    let body: { payload?: { items?: { eventName?: unknown }[] } };
    try {
      body = JSON.parse(payload.toString('utf8')) as typeof body;
    } catch {
      return;
    }
    for (const item of body.payload?.items ?? []) {
      if (typeof item.eventName !== 'string' || !PROBE_EVENT_NAMES.includes(item.eventName)) {
        continue;
      }
      const eventName = item.eventName as ProbeEventName;
      this.receipts.push({ deviceId, eventName, receivedAt });
      this.lastEvents.set(deviceId, eventName);
    }
  }
}
