import type { QoS } from 'mqtt-packet';

import type { BrokerMessage } from './broker-message.js';
import { type Delivery, OutboundFlow, type OutboundFlowOptions } from './outbound-flow.js';
import { topicMatchesFilter } from './topic-filter.js';

/** One topic filter of a session with its MQTT 5 subscription options. */
export interface Subscription {
  readonly filter: string;
  readonly qos: QoS;
  readonly noLocal: boolean;
  readonly retainAsPublished: boolean;
  /** 0: send retained messages on every subscribe, 1: only on a new subscription, 2: never. */
  readonly retainHandling: 0 | 1 | 2;
}

/**
 * The state the broker keeps for one client id: subscriptions, outgoing QoS flows and queue, and
 * the packet ids of inbound QoS 2 messages that were routed but whose PUBREL has not arrived yet.
 * It outlives the connection when the client requested a persistent session.
 */
export class BrokerSession {
  readonly subscriptions = new Map<string, Subscription>();
  readonly awaitingPubrel = new Set<number>();
  readonly outbound: OutboundFlow;
  /** The connection that currently owns the session, or null while the client is away. */
  owner: object | null = null;

  constructor(
    readonly clientId: string,
    public expirySeconds: number,
    flowOptions: OutboundFlowOptions,
  ) {
    this.outbound = new OutboundFlow(flowOptions);
  }

  /**
   * Returns how `message` reaches this session: once, at the highest QoS of all matching
   * subscriptions, capped by the QoS it was published with. Returns null when nothing matches.
   */
  deliveryFor(message: BrokerMessage): Delivery | null {
    let grantedQos = -1;
    let retainAsPublished = false;
    for (const subscription of this.subscriptions.values()) {
      if (!topicMatchesFilter(subscription.filter, message.topic)) continue;
      if (subscription.noLocal && message.senderClientId === this.clientId) continue;
      grantedQos = Math.max(grantedQos, subscription.qos);
      retainAsPublished ||= subscription.retainAsPublished;
    }
    if (grantedQos < 0) return null;

    const qos = Math.min(grantedQos, message.qos) as QoS;
    return { message, qos, retain: retainAsPublished && message.retain };
  }
}
