import type { Clock } from '../../../support/clock.js';
import { delay } from '../../../support/clock.js';
import { silentLogger } from '../../../support/logger.js';
import { fakeConnect, type FakeMqttClient } from '../../../cloud/__testing__/fake-mqtt-client.js';
import { FakeTokenSource } from '../../../cloud/__testing__/fake-token-source.js';
import { DeviceConnection } from '../../../cloud/device-connection.js';
import type { PrinterBridgeOptions } from '../../../bridge/bridge-options.js';
import type { Disposable } from '../../../support/disposable.js';
import type { BridgeFactory } from '../fleet-bridge.js';
import { FakeBridge } from './fake-bridge.js';

/** Test helper: a token source whose first token arrives `latencyMs` later on the clock. */
export class SlowFirstTokenSource extends FakeTokenSource {
  private first: Promise<void> | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly latencyMs: number,
  ) {
    super();
  }

  override async current(): Promise<string> {
    this.first ??= delay(this.clock, this.latencyMs);
    await this.first;
    return super.current();
  }
}

/**
 * Test helper: a bridge whose only part is a real `DeviceConnection` with the fleet's connect
 * gate, a token source that takes `latencyMs(name)` for the first token, and a fake broker that
 * accepts every CONNECT. `connects` records the clock time of every CONNECT.
 */
export class ConnectingBridgeFactory {
  readonly connects: number[] = [];
  readonly clients: FakeMqttClient[] = [];
  readonly bridges: ConnectingBridge[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly latencyMs: (name: string) => number,
  ) {}

  readonly create: BridgeFactory = (options) => {
    const bridge = new ConnectingBridge(options, this);
    this.bridges.push(bridge);
    return bridge;
  };

  createConnection(options: PrinterBridgeOptions): DeviceConnection {
    const fake = fakeConnect([], { kind: 'accept' });
    return new DeviceConnection({
      brokerUrl: 'mqtt://127.0.0.1:1883',
      deviceId: options.credentials.deviceId,
      tokens: new SlowFirstTokenSource(this.clock, this.latencyMs(options.name)),
      clock: this.clock,
      logger: silentLogger,
      random: () => 1,
      willPayload: () => 'offline',
      ...(options.connectGate ? { connectGate: options.connectGate } : {}),
      mqttConnect: (url, clientOptions) => {
        this.connects.push(this.clock.monotonic());
        const client = fake.connect(url, clientOptions) as FakeMqttClient;
        this.clients.push(client);
        return client;
      },
    });
  }
}

export class ConnectingBridge extends FakeBridge {
  private connection: DeviceConnection | undefined;
  private readonly subscriptions: Disposable[] = [];

  constructor(
    options: PrinterBridgeOptions,
    private readonly factory: ConnectingBridgeFactory,
  ) {
    super(options, 'resolve');
  }

  override async start(): Promise<void> {
    await super.start();
    const connection = this.factory.createConnection(this.options);
    this.connection = connection;
    this.subscriptions.push(
      connection.onStateChange(() => this.emitChange('mqtt')),
      connection.onConnectFailed(() => this.emitChange('mqtt')),
    );
    connection.start();
  }

  override async stop(): Promise<void> {
    for (const subscription of this.subscriptions.splice(0)) subscription.dispose();
    this.connection?.dispose();
    await super.stop();
  }

  get connected(): boolean {
    return this.connection?.state === 'connected';
  }
}
