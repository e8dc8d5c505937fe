import type {
  ISubackPacket,
  ISubscribePacket,
  ISubscription,
  IUnsubackPacket,
  IUnsubscribePacket,
  QoS,
} from 'mqtt-packet';

import { errorMessage } from '../../support/coded-error.js';
import type { BrokerContext, ConnectedClient } from './broker-context.js';
import { ReasonCode, SUBACK_FAILURE_V3 } from './reason-codes.js';
import type { Subscription } from './session.js';
import { isSharedSubscription, isValidTopicFilter } from './topic-filter.js';

type SubscribeOutcome =
  | { granted: true; subscription: Subscription; isNew: boolean }
  | { granted: false; reasonCode: number };

/**
 * Handles SUBSCRIBE: checks and stores each filter, acknowledges with SUBACK, then sends the retained
 * messages that the new subscriptions match, with the retain flag set.
 */
export function handleSubscribe<Principal>(
  client: ConnectedClient<Principal>,
  packet: ISubscribePacket,
  context: BrokerContext<Principal>,
): void {
  if (packet.properties?.subscriptionIdentifier !== undefined) {
    client.fail(
      ReasonCode.subscriptionIdentifiersNotSupported,
      'protocol-error',
      'subscription identifier sent, but not supported',
    );
    return;
  }
  const outcomes = packet.subscriptions.map((request) => subscribeOne(client, request, context));
  const granted = outcomes.map((outcome) => subackCode(client, outcome));
  const suback: ISubackPacket = { cmd: 'suback', messageId: packet.messageId ?? 0, granted };
  client.send(suback);

  for (const outcome of outcomes) {
    if (!outcome.granted) continue;
    context.events.subscribe.emit({
      clientId: client.clientId,
      filter: outcome.subscription.filter,
      qos: outcome.subscription.qos,
    });
    sendRetained(client, outcome.subscription, outcome.isNew, context);
  }
}

/** Handles UNSUBSCRIBE. MQTT 5 clients learn per filter whether a subscription existed. */
export function handleUnsubscribe<Principal>(
  client: ConnectedClient<Principal>,
  packet: IUnsubscribePacket,
): void {
  const codes = packet.unsubscriptions.map((filter) =>
    client.session.subscriptions.delete(filter)
      ? ReasonCode.success
      : ReasonCode.noSubscriptionExisted,
  );
  const unsuback: IUnsubackPacket = {
    cmd: 'unsuback',
    messageId: packet.messageId ?? 0,
    granted: [],
  };
  if (client.protocolVersion === 5) unsuback.granted = codes;
  client.send(unsuback);
}

function subscribeOne<Principal>(
  client: ConnectedClient<Principal>,
  request: ISubscription,
  context: BrokerContext<Principal>,
): SubscribeOutcome {
  const filter = request.topic;
  if (!isValidTopicFilter(filter)) {
    return { granted: false, reasonCode: ReasonCode.topicFilterInvalid };
  }
  if (isSharedSubscription(filter)) {
    return { granted: false, reasonCode: ReasonCode.sharedSubscriptionsNotSupported };
  }
  if (!isSubscribeAllowed(client, filter, context)) {
    context.logger.debug({ clientId: client.clientId, filter }, 'subscription not authorized');
    return { granted: false, reasonCode: ReasonCode.notAuthorized };
  }

  const subscription: Subscription = {
    filter,
    qos: Math.min(request.qos, 2) as QoS,
    noLocal: request.nl ?? false,
    retainAsPublished: request.rap ?? false,
    retainHandling: retainHandlingOf(request.rh),
  };
  const isNew = !client.session.subscriptions.has(filter);
  client.session.subscriptions.set(filter, subscription);
  return { granted: true, subscription, isNew };
}

function isSubscribeAllowed<Principal>(
  client: ConnectedClient<Principal>,
  filter: string,
  context: BrokerContext<Principal>,
): boolean {
  try {
    return context.settings.authorizeSubscribe(client.principal, filter);
  } catch (error) {
    context.logger.warn(
      { clientId: client.clientId, filter, err: errorMessage(error) },
      'subscribe authorizer failed, subscription rejected',
    );
    return false;
  }
}

function subackCode<Principal>(
  client: ConnectedClient<Principal>,
  outcome: SubscribeOutcome,
): number {
  if (outcome.granted) return outcome.subscription.qos;
  return client.protocolVersion === 5 ? outcome.reasonCode : SUBACK_FAILURE_V3;
}

function retainHandlingOf(value: number | undefined): 0 | 1 | 2 {
  if (value === 1 || value === 2) return value;
  return 0;
}

function sendRetained<Principal>(
  client: ConnectedClient<Principal>,
  subscription: Subscription,
  isNew: boolean,
  context: BrokerContext<Principal>,
): void {
  if (subscription.retainHandling === 2) return;
  if (subscription.retainHandling === 1 && !isNew) return;

  for (const message of context.retained.matching(subscription.filter)) {
    if (subscription.noLocal && message.senderClientId === client.clientId) continue;
    const qos = Math.min(message.qos, subscription.qos) as QoS;
    client.session.outbound.deliver({ message, qos, retain: true });
  }
}
