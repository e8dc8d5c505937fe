import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import mqtt, { type MqttClient } from 'mqtt';

import type { DeviceCredentials } from '../../../../shared/contract/device-http.js';
import type { BusinessEvent } from '../../../../shared/contract/events.js';
import { TOPIC_ROOT } from '../../../../shared/contract/topics.js';
import { LinkClient } from '../../../cloud/link-client.js';
import { LocalCloud } from '../../../local-cloud/local-cloud.js';
import {
  MoonrakerSimulator,
  type MoonrakerSimulatorOptions,
} from '../../../simulator/moonraker-simulator.js';
import { systemClock } from '../../../support/clock.js';
import { silentLogger, type Logger } from '../../../support/logger.js';
import type { FleetPrinter } from '../fleet-bridge.js';
import type { FleetRuntimeOptions } from '../fleet-options.js';
import { FleetRuntime } from '../fleet-runtime.js';

/** One message the observer received, with the device and channel its topic names. */
export interface ObservedMessage {
  deviceId: string;
  channel: string;
  body: Record<string, unknown>;
  receivedAt: number;
}

/**
 * The cloud's view in a fleet test: an operator MQTT client subscribed to every device topic,
 * with waits that resolve on arrival rather than after a fixed time.
 */
export class FleetObserver {
  readonly messages: ObservedMessage[] = [];
  private readonly waiters = new Set<() => void>();

  constructor(private readonly client: MqttClient) {
    client.on('message', (topic, payload) => {
      const [, , deviceId, channel] = topic.split('/');
      if (!deviceId || !channel) return;
      this.messages.push({
        deviceId,
        channel,
        body: JSON.parse(payload.toString()) as Record<string, unknown>,
        receivedAt: Date.now(),
      });
      for (const waiter of [...this.waiters]) waiter();
    });
  }

  count(deviceId: string, channel: string, since = 0): number {
    return this.messages.filter(
      (message) =>
        message.deviceId === deviceId && message.channel === channel && message.receivedAt >= since,
    ).length;
  }

  /** Business events of one device in arrival order, without command-state items. */
  events(deviceId: string): BusinessEvent[] {
    return this.messages
      .filter((message) => message.deviceId === deviceId && message.channel === 'events')
      .flatMap((message) => {
        const payload = message.body['payload'] as { items?: BusinessEvent[] } | undefined;
        return payload?.items ?? [];
      })
      .filter((item) => !item.eventName.startsWith('system:'));
  }

  eventNames(deviceId: string): string[] {
    return this.events(deviceId).map((event) => event.eventName);
  }

  /** Arrival times of one device's messages on one channel. */
  arrivals(deviceId: string, channel: string): number[] {
    return this.messages
      .filter((message) => message.deviceId === deviceId && message.channel === channel)
      .map((message) => message.receivedAt);
  }

  /** Resolves once `condition` holds, checking after every message. */
  until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const check = (): void => {
        if (!condition()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
    });
  }

  close(): Promise<void> {
    return this.client.endAsync(true);
  }
}

/** Owns the local cloud, simulators, fleet and folders of one test and releases them all. */
export class FleetRig {
  readonly logger: Logger = silentLogger;
  private readonly cleanups: (() => Promise<void>)[] = [];
  private cloudInstance: LocalCloud | undefined;

  async cloud(): Promise<LocalCloud> {
    if (this.cloudInstance) return this.cloudInstance;
    const cloud = await LocalCloud.start({ clock: systemClock, logger: this.logger });
    this.defer(() => cloud.close());
    this.cloudInstance = cloud;
    return cloud;
  }

  async tempDir(): Promise<string> {
    const folder = await mkdtemp(join(tmpdir(), 'owl-fleet-'));
    this.defer(() => rm(folder, { recursive: true, force: true }));
    return folder;
  }

  async linkDevice(): Promise<DeviceCredentials> {
    const cloud = await this.cloud();
    const { code } = await cloud.operator().mintLinkCode();
    const linker = new LinkClient({
      baseUrl: cloud.endpoints.httpUrl,
      clock: systemClock,
      logger: this.logger,
    });
    const linked = await linker.link(code);
    return {
      deviceId: linked.deviceId,
      printerId: linked.printerId,
      devicePrivateKey: linked.devicePrivateKey,
      ...(linked.tenantId ? { tenantId: linked.tenantId } : {}),
    };
  }

  async simulator(options: Omit<MoonrakerSimulatorOptions, 'logger'>): Promise<{
    simulator: MoonrakerSimulator;
    url: string;
  }> {
    const simulator = new MoonrakerSimulator({ logger: this.logger, ...options });
    this.defer(() => simulator.stop());
    const { url } = await simulator.start();
    return { simulator, url };
  }

  /** A linked printer of the fleet whose Moonraker is at `url`. */
  async printer(
    name: string,
    url: string,
    extra: Partial<FleetPrinter> = {},
  ): Promise<FleetPrinter> {
    return {
      id: `id-${name}`,
      name,
      moonrakerUrl: url,
      enabled: true,
      credentials: await this.linkDevice(),
      ...extra,
    };
  }

  async runtime(options: Partial<FleetRuntimeOptions> = {}): Promise<FleetRuntime> {
    const cloud = await this.cloud();
    const runtime = new FleetRuntime({
      cloud: { baseUrl: cloud.endpoints.httpUrl, brokerUrl: cloud.endpoints.mqttUrl },
      dataDir: await this.tempDir(),
      version: '0.1.0-test',
      clock: systemClock,
      logger: this.logger,
      localNetwork: () => Promise.resolve('127.0.0.1'),
      ...options,
    });
    this.defer(() => runtime.stop(5_000));
    return runtime;
  }

  async observer(): Promise<FleetObserver> {
    const cloud = await this.cloud();
    const client = await mqtt.connectAsync(cloud.endpoints.mqttUrl, {
      protocolVersion: 5,
      reconnectPeriod: 0,
      ...cloud.endpoints.operatorMqtt,
    });
    const observer = new FleetObserver(client);
    await client.subscribeAsync(`${TOPIC_ROOT}/#`, { qos: 1 });
    this.defer(() => observer.close());
    return observer;
  }

  /** Resolves once `condition` holds for the fleet, checking on each of its change events. */
  until(runtime: FleetRuntime, condition: () => boolean, timeoutMs: number, what: string) {
    if (condition()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        subscription.dispose();
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const subscription = runtime.onChange(() => {
        if (!condition()) return;
        clearTimeout(timer);
        subscription.dispose();
        resolve();
      });
    });
  }

  defer(cleanup: () => Promise<void>): void {
    this.cleanups.push(cleanup);
  }

  async dispose(): Promise<void> {
    for (const cleanup of this.cleanups.splice(0).reverse()) {
      await cleanup().catch(() => undefined);
    }
  }
}
