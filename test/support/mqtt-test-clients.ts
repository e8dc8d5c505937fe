import { connect as connectSocket, type Socket } from 'node:net';

import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import mqttPacket from 'mqtt-packet';
import type { IConnackPacket, IPublishPacket, Packet } from 'mqtt-packet';

/** A waitable list: `next()` resolves with the first item not handed out yet. */
class Inbox<T> {
  readonly items: T[] = [];
  private handedOut = 0;
  private waiters: (() => void)[] = [];

  push(item: T): void {
    this.items.push(item);
    for (const wake of this.waiters.splice(0)) wake();
  }

  async next(): Promise<T> {
    while (this.handedOut >= this.items.length) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    const item = this.items[this.handedOut] as T;
    this.handedOut += 1;
    return item;
  }

  /** Resolves with the next `count` items. */
  async take(count: number): Promise<T[]> {
    const taken: T[] = [];
    for (let index = 0; index < count; index += 1) taken.push(await this.next());
    return taken;
  }
}

export interface ReceivedMessage {
  readonly topic: string;
  readonly payload: string;
  readonly packet: IPublishPacket;
}

/** Messages an mqtt.js client receives, recorded from before its CONNECT is sent. */
export class MessageInbox extends Inbox<ReceivedMessage> {
  constructor(client: MqttClient) {
    super();
    client.on('message', (topic, payload, packet) =>
      this.push({ topic, payload: payload.toString('utf8'), packet }),
    );
  }
}

export interface TestClient {
  readonly client: MqttClient;
  readonly inbox: MessageInbox;
  readonly connack: IConnackPacket;
}

/** An error from mqtt.js, which carries the CONNACK, PUBACK or DISCONNECT reason code. */
export type ReasonCodeError = Error & { code?: number };

/**
 * Opens mqtt.js clients (MQTT 5 unless the options set another version, no automatic reconnect) and raw packet
 * clients for a test, and ends all of them in `closeAll`.
 */
export class TestClients {
  private readonly clients = new Set<MqttClient>();
  private readonly rawClients = new Set<RawMqttClient>();

  async connect(url: string, options: IClientOptions = {}): Promise<TestClient> {
    const client = mqtt.connect(url, { protocolVersion: 5, reconnectPeriod: 0, ...options });
    this.clients.add(client);
    const inbox = new MessageInbox(client);
    const connack = await new Promise<IConnackPacket>((resolve, reject) => {
      client.once('connect', resolve);
      client.once('error', reject);
      client.once('close', () => reject(new Error('The connection closed before CONNACK')));
    });
    // Later errors, such as a rejected PUBACK, reach the test through the call that caused them.
    client.on('error', () => undefined);
    return { client, inbox, connack };
  }

  /** Connects and expects the broker to reject the client. Returns the error mqtt.js reports. */
  async connectRejected(url: string, options: IClientOptions = {}): Promise<ReasonCodeError> {
    try {
      await this.connect(url, options);
    } catch (error) {
      return error as ReasonCodeError;
    }
    throw new Error('The broker accepted a connection it was expected to reject');
  }

  async raw(port: number, protocolVersion: 4 | 5 = 5): Promise<RawMqttClient> {
    const raw = await RawMqttClient.open(port, protocolVersion);
    this.rawClients.add(raw);
    return raw;
  }

  async closeAll(): Promise<void> {
    const clients = [...this.clients];
    this.clients.clear();
    await Promise.all(clients.map((client) => client.endAsync(true)));
    for (const raw of this.rawClients) raw.destroy();
    await Promise.all([...this.rawClients].map((raw) => raw.closed));
    this.rawClients.clear();
  }
}

/** A TCP client that writes and reads single MQTT packets, for what mqtt.js will not send. */
export class RawMqttClient {
  readonly packets = new Inbox<Packet>();
  readonly closed: Promise<void>;

  private constructor(
    private readonly socket: Socket,
    readonly protocolVersion: 4 | 5,
  ) {
    const parser = mqttPacket.parser({ protocolVersion });
    parser.on('packet', (packet) => this.packets.push(packet));
    socket.on('data', (chunk) => parser.parse(chunk));
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  static open(port: number, protocolVersion: 4 | 5): Promise<RawMqttClient> {
    return new Promise((resolve, reject) => {
      const socket = connectSocket(port, '127.0.0.1', () => {
        socket.off('error', reject);
        resolve(new RawMqttClient(socket, protocolVersion));
      });
      socket.once('error', reject);
    });
  }

  get isClosed(): boolean {
    return this.socket.destroyed;
  }

  send(packet: Packet): void {
    this.socket.write(mqttPacket.generate(packet, { protocolVersion: this.protocolVersion }));
  }

  writeBytes(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** Sends CONNECT and resolves with the CONNACK. */
  async handshake(
    clientId: string,
    extra: Partial<mqttPacket.IConnectPacket> = {},
  ): Promise<IConnackPacket> {
    this.send({
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: this.protocolVersion,
      clientId,
      clean: true,
      keepalive: 0,
      ...extra,
    });
    return (await this.expect('connack')) as IConnackPacket;
  }

  /** Resolves with the next packet, and rejects when it is not of the expected type. */
  async expect(cmd: Packet['cmd']): Promise<Packet> {
    const packet = await this.packets.next();
    if (packet.cmd !== cmd) throw new Error(`Expected ${cmd}, received ${packet.cmd}`);
    return packet;
  }

  destroy(): void {
    this.socket.destroy();
  }
}
