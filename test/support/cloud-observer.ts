import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';

import type { AckStatus, CommandAck } from '../../shared/contract/commands.js';
import type { TelemetryEnvelope } from '../../shared/contract/envelope.js';
import type { BusinessEvent } from '../../shared/contract/events.js';
import { TOPIC_ROOT, commandTopic } from '../../shared/contract/topics.js';
import { ArrivalLog } from './arrival-log.js';
import {
  ackOf,
  businessEventsOf,
  commandStatesOf,
  decodeCloudMessage,
  telemetryEnvelopeOf,
  type CloudMessage,
} from './cloud-message.js';

/** An ack and the message that carried it (topic, arrival time). */
export interface ReceivedAck {
  readonly message: CloudMessage;
  readonly ack: CommandAck;
}

/** A business event with the `$seq` of the events envelope that carried it. */
export interface ReceivedEvent {
  readonly seq: number;
  readonly event: BusinessEvent;
}

export interface CloudObserverOptions {
  url: string;
  /** Operator login of the local cloud's embedded broker, not needed for an anonymous broker. */
  login?: { username: string; password: string };
  /** Client id and a session that outlives the connection, to receive messages queued meanwhile. */
  persistentSession?: { clientId: string };
}

/**
 * The cloud's side in a test: an MQTT 5 operator client subscribed to `owl/printers/#` at QoS 2
 * with Retain As Published, which decodes and checks every message it receives and publishes
 * commands to devices.
 */
export class CloudObserver {
  readonly messages = new ArrivalLog<CloudMessage>(
    (message) => `${message.topic} ${message.text.slice(0, 160)}`,
  );
  private client: MqttClient | undefined;

  private constructor(private readonly options: CloudObserverOptions) {}

  static async connect(options: CloudObserverOptions): Promise<CloudObserver> {
    const observer = new CloudObserver(options);
    await observer.reconnect();
    return observer;
  }

  /**
   * Opens a new connection and resolves with the CONNACK's session-present flag. With a
   * persistent session, the messages queued meanwhile arrive after it.
   */
  async reconnect(): Promise<boolean> {
    await this.close();
    const { login, persistentSession } = this.options;
    const clientOptions: IClientOptions = {
      protocolVersion: 5,
      reconnectPeriod: 0,
      ...(login ?? {}),
      ...(persistentSession
        ? {
            clientId: persistentSession.clientId,
            clean: false,
            properties: { sessionExpiryInterval: 3600 },
          }
        : {}),
    };
    const client = mqtt.connect(this.options.url, clientOptions);
    client.on('message', (topic, payload, packet) =>
      this.messages.push(decodeCloudMessage(topic, payload, packet)),
    );
    client.on('error', () => undefined);
    this.client = client;
    const connack = await new Promise<{ sessionPresent: boolean }>((resolve, reject) => {
      client.once('connect', resolve);
      client.once('close', () => reject(new Error('Observer connection closed before CONNACK')));
    });
    if (!connack.sessionPresent) {
      await client.subscribeAsync(`${TOPIC_ROOT}/#`, { qos: 2, rap: true });
    }
    return connack.sessionPresent;
  }

  /** Publishes a command request to a device at QoS 1, as the cloud does. */
  async sendCommand(deviceId: string, topicName: string, payload: string | Buffer): Promise<void> {
    const client = this.requireClient();
    await client.publishAsync(commandTopic(deviceId, topicName), payload, { qos: 1 });
  }

  /** Returns every contract violation received, as `topic: problem` lines. */
  problems(): string[] {
    return this.messages.items.flatMap((message) =>
      message.problems.map((problem) => `${message.topic}: ${problem}`),
    );
  }

  /** Returns the messages of one kind for one device, in arrival order. */
  ofKind(deviceId: string, kind: CloudMessage['kind']): CloudMessage[] {
    return this.messages.items.filter(
      (message) => message.deviceId === deviceId && message.kind === kind,
    );
  }

  /** Returns the business events of one device in arrival order, with their envelopes' `$seq`. */
  businessEvents(deviceId: string): ReceivedEvent[] {
    return this.ofKind(deviceId, 'events').flatMap((message) => {
      const seq = telemetryEnvelopeOf(message).$seq;
      return businessEventsOf(message).map((event) => ({ seq, event }));
    });
  }

  /** Returns the `state` of each command-state item of one command, in arrival order. */
  commandStates(deviceId: string, commandId: string): string[] {
    return this.ofKind(deviceId, 'events').flatMap((message) =>
      commandStatesOf(message)
        .filter((item) => item.data.commandId === commandId)
        .map((item) => item.data.state),
    );
  }

  eventNames(deviceId: string): string[] {
    return this.businessEvents(deviceId).map((received) => received.event.eventName);
  }

  eventEnvelopes(deviceId: string): TelemetryEnvelope[] {
    return this.ofKind(deviceId, 'events').map(telemetryEnvelopeOf);
  }

  /** Returns the valid acks of one command in arrival order, with the messages that carried them. */
  acks(deviceId: string, commandId: string): ReceivedAck[] {
    return this.ofKind(deviceId, 'ack')
      .filter((message) => message.problems.length === 0)
      .map((message) => ({ message, ack: ackOf(message) }))
      .filter(({ ack }) => ack.payload.commandId === commandId);
  }

  /** Waits until `count` business events named `name` have arrived from the device. */
  async waitForEvent(deviceId: string, name: string, timeoutMs: number, count = 1): Promise<void> {
    const seen = () => this.eventNames(deviceId).filter((eventName) => eventName === name).length;
    await this.messages.waitFor(
      () => (seen() >= count ? true : undefined),
      timeoutMs,
      `${count} × ${name} from ${deviceId}`,
    );
  }

  /** Waits for an ack of the command with the given status and resolves with it. */
  waitForAck(
    deviceId: string,
    commandId: string,
    status: AckStatus,
    timeoutMs: number,
    count = 1,
  ): Promise<CommandAck> {
    return this.messages.waitFor(
      () => {
        const matching = this.acks(deviceId, commandId).filter(
          ({ ack }) => ack.payload.status === status,
        );
        return matching.length >= count ? matching[count - 1]?.ack : undefined;
      },
      timeoutMs,
      `${status} ack ${count} of command ${commandId}`,
    );
  }

  /** Closes the connection at once. A persistent session stays on the broker. */
  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await client.endAsync(true);
  }

  private requireClient(): MqttClient {
    if (!this.client) throw new Error('The observer is not connected');
    return this.client;
  }
}
