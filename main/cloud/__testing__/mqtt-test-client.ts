import mqtt, { type IPublishPacket, type MqttClient } from 'mqtt';

export interface ReceivedMessage {
  topic: string;
  payload: string;
  retain: boolean;
}

/** Test helper: an MQTT 5 client that records what it receives on its subscriptions. */
export class MqttTestClient {
  readonly messages: ReceivedMessage[] = [];
  private waiters: { count: number; resolve: () => void }[] = [];

  private constructor(readonly client: MqttClient) {
    client.on('message', (topic, payload, packet: IPublishPacket) => {
      this.messages.push({ topic, payload: payload.toString(), retain: packet.retain });
      this.settleWaiters();
    });
  }

  static async connect(url: string, clientId: string): Promise<MqttTestClient> {
    const client = await mqtt.connectAsync(url, {
      protocolVersion: 5,
      clientId,
      username: clientId,
      reconnectPeriod: 0,
    });
    return new MqttTestClient(client);
  }

  async subscribe(filter: string): Promise<void> {
    await this.client.subscribeAsync(filter, { qos: 2 });
  }

  async publish(topic: string, payload: string, qos: 0 | 1 | 2 = 1): Promise<void> {
    await this.client.publishAsync(topic, payload, { qos });
  }

  /** Resolves once at least `count` messages arrived in total. */
  waitForMessages(count: number): Promise<void> {
    if (this.messages.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  /**
   * Publishes a marker to `topic` (which this client must be subscribed to) and waits for it, so
   * that everything the broker queued for this client before has arrived.
   */
  async roundTrip(topic: string): Promise<void> {
    const expected = this.messages.length + 1;
    await this.publish(topic, 'round-trip');
    await this.waitForMessages(expected);
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }

  private settleWaiters(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const waiter of waiting) {
      if (this.messages.length >= waiter.count) waiter.resolve();
      else this.waiters.push(waiter);
    }
  }
}
