import mqtt, {
  type ClientSubscribeCallback,
  type DoneCallback,
  type IClientOptions,
  type IClientPublishOptions,
  type IDisconnectPacket,
  type ISubscriptionMap,
  type MqttClientEventCallbacks,
  type PacketCallback,
} from 'mqtt';

/**
 * The part of an MQTT.js client that the device connection uses. `MqttClient` satisfies it, and
 * tests can pass a small fake through `MqttConnectFunction`.
 */
export interface MqttClientHandle {
  on<Event extends keyof MqttClientEventCallbacks>(
    event: Event,
    callback: MqttClientEventCallbacks[Event],
  ): unknown;
  removeAllListeners(): unknown;
  publish(
    topic: string,
    message: string | Buffer,
    options: IClientPublishOptions,
    callback: PacketCallback,
  ): unknown;
  subscribe(subscriptions: ISubscriptionMap, callback: ClientSubscribeCallback): unknown;
  unsubscribe(topic: string, callback: PacketCallback): unknown;
  end(force: boolean, options: Partial<IDisconnectPacket>, callback: DoneCallback): unknown;
  /** The socket, destroyed directly when a graceful end misses its deadline. */
  readonly stream: { destroy(error?: Error): unknown };
}

/** Creates a client that starts connecting at once, as `mqtt.connect` does. */
export type MqttConnectFunction = (brokerUrl: string, options: IClientOptions) => MqttClientHandle;

export const connectWithMqttJs: MqttConnectFunction = (brokerUrl, options) =>
  mqtt.connect(brokerUrl, options);
