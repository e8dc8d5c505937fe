import { EventEmitter } from 'node:events';

import type {
  ClientSubscribeCallback,
  DoneCallback,
  IClientOptions,
  IClientPublishOptions,
  IConnackPacket,
  IDisconnectPacket,
  ISubscriptionMap,
  MqttClientEventCallbacks,
  PacketCallback,
} from 'mqtt';
import { ErrorWithReasonCode } from 'mqtt';

import type { MqttClientHandle, MqttConnectFunction } from '../mqtt-client-handle.js';

/** Behaviour of a fake client once created: accept, refuse in CONNACK, fail to reach, or stay silent. */
export type FakeConnectBehaviour =
  | { kind: 'accept'; sessionPresent?: boolean }
  | { kind: 'refuse'; reasonCode: number }
  | { kind: 'unreachable' }
  | { kind: 'silent' };

export interface FakePublish {
  topic: string;
  payload: string;
  options: IClientPublishOptions;
  callback: PacketCallback;
}

/** Test helper: an in-memory stand-in for an MQTT.js client. */
export class FakeMqttClient extends EventEmitter implements MqttClientHandle {
  readonly publishes: FakePublish[] = [];
  readonly subscriptions: ISubscriptionMap[] = [];
  ended = false;
  private closed = false;
  readonly stream = { destroy: (): void => this.close() };

  constructor(
    readonly url: string,
    readonly options: IClientOptions,
  ) {
    super();
  }

  override on<Event extends keyof MqttClientEventCallbacks>(
    event: Event,
    callback: MqttClientEventCallbacks[Event],
  ): this {
    return super.on(event, callback);
  }

  publish(
    topic: string,
    message: string | Buffer,
    options: IClientPublishOptions,
    callback: PacketCallback,
  ): this {
    this.publishes.push({ topic, payload: message.toString(), options, callback });
    return this;
  }

  subscribe(subscriptions: ISubscriptionMap, callback: ClientSubscribeCallback): this {
    this.subscriptions.push(subscriptions);
    const granted = Object.keys(subscriptions)
      .filter((topic) => topic !== 'resubscribe')
      .map((topic) => ({ topic, qos: subscriptions[topic]?.qos ?? 0 }));
    queueMicrotask(() => callback(null, granted));
    return this;
  }

  unsubscribe(_topic: string, callback: PacketCallback): this {
    queueMicrotask(() => callback());
    return this;
  }

  end(_force: boolean, _options: Partial<IDisconnectPacket>, callback: DoneCallback): this {
    this.ended = true;
    this.close();
    queueMicrotask(() => callback());
    return this;
  }

  /** Simulates the socket closing, as after a network failure. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.emit('close');
  }

  /** Simulates a DISCONNECT from the broker followed by the socket closing. */
  disconnectFromBroker(reasonCode: number): void {
    this.emit('disconnect', { cmd: 'disconnect', reasonCode });
    this.close();
  }

  behave(behaviour: FakeConnectBehaviour): void {
    switch (behaviour.kind) {
      case 'accept': {
        const connack: IConnackPacket = {
          cmd: 'connack',
          returnCode: 0,
          reasonCode: 0,
          sessionPresent: behaviour.sessionPresent ?? false,
        };
        queueMicrotask(() => this.emit('connect', connack));
        return;
      }
      case 'refuse':
        queueMicrotask(() => {
          this.emit('error', new ErrorWithReasonCode('Connection refused', behaviour.reasonCode));
          this.close();
        });
        return;
      case 'unreachable':
        queueMicrotask(() => {
          this.emit(
            'error',
            Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
          );
          this.close();
        });
        return;
      case 'silent':
        return;
    }
  }
}

/**
 * A connect function that creates fake clients. Each call takes the next behaviour from
 * `plan`, and `fallback` applies once the plan is used up.
 */
export function fakeConnect(
  plan: FakeConnectBehaviour[],
  fallback: FakeConnectBehaviour,
): { connect: MqttConnectFunction; clients: FakeMqttClient[] } {
  const clients: FakeMqttClient[] = [];
  const connect: MqttConnectFunction = (url, options) => {
    const client = new FakeMqttClient(url, options);
    clients.push(client);
    client.behave(plan.shift() ?? fallback);
    return client;
  };
  return { connect, clients };
}
