import type { ISubscriptionMap } from 'mqtt';
import type { QoS } from 'mqtt-packet';

import type { Clock } from '../support/clock.js';
import { toDisposable, type Disposable } from '../support/disposable.js';
import type { Logger } from '../support/logger.js';
import { withDeadline } from './deadline.js';
import type { MqttClientHandle } from './mqtt-client-handle.js';
import { subscribeOnClient, unsubscribeOnClient } from './mqtt-client-operations.js';

interface Registration {
  filter: string;
  qos: QoS;
}

export interface SubscriptionRegistryOptions {
  logger: Logger;
  clock: Clock;
  /** How long a replay waits for SUBACK. */
  replayTimeoutMs: number;
  /** The client to subscribe on right away, or null while not connected. */
  connectedClient: () => MqttClientHandle | null;
}

/**
 * Topic filters the device wants. They are replayed on every new client, because the broker
 * may have dropped the session. The same filter registered twice is subscribed once, at the
 * highest QoS, until both registrations are released.
 */
export class SubscriptionRegistry {
  private readonly registrations = new Set<Registration>();

  constructor(private readonly options: SubscriptionRegistryOptions) {}

  /** Subscribes now when connected. Disposing unsubscribes once no registration is left. */
  add(filter: string, qos: QoS): Disposable {
    const registration: Registration = { filter, qos };
    this.registrations.add(registration);
    const client = this.options.connectedClient();
    if (client) this.subscribeNow(client, filter);

    return toDisposable(() => {
      this.registrations.delete(registration);
      if (!this.has(filter)) this.unsubscribeNow(filter);
    });
  }

  has(filter: string): boolean {
    return [...this.registrations].some((registration) => registration.filter === filter);
  }

  /** Returns all filters with their highest requested QoS, as MQTT.js takes them. */
  toSubscriptionMap(): ISubscriptionMap {
    const map: ISubscriptionMap = {};
    for (const { filter, qos } of this.registrations) {
      const existing = map[filter];
      if (!existing || existing.qos < qos) map[filter] = { qos };
    }
    return map;
  }

  /**
   * Subscribes every filter on a new client. Resolves true when the broker granted them all,
   * false when nothing was registered or the replay failed (which is logged).
   */
  async replay(client: MqttClientHandle): Promise<boolean> {
    const map = this.toSubscriptionMap();
    const filters = Object.keys(map);
    if (filters.length === 0) return false;
    try {
      const { clock, replayTimeoutMs } = this.options;
      await withDeadline(
        subscribeOnClient(client, map),
        clock,
        replayTimeoutMs,
        'Subscription replay',
      );
      return true;
    } catch (error) {
      this.options.logger.error({ err: error, filters }, 'replaying subscriptions failed');
      return false;
    }
  }

  private subscribeNow(client: MqttClientHandle, filter: string): void {
    const entry = this.toSubscriptionMap()[filter];
    if (!entry) return;
    subscribeOnClient(client, { [filter]: entry }).catch((error: unknown) => {
      this.options.logger.error({ err: error, filter }, 'subscribe failed');
    });
  }

  private unsubscribeNow(filter: string): void {
    const client = this.options.connectedClient();
    if (!client) return;
    unsubscribeOnClient(client, filter).catch((error: unknown) => {
      this.options.logger.warn({ err: error, filter }, 'unsubscribe failed');
    });
  }
}
