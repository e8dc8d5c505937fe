import {
  commandSubscription,
  CONFIG_BROADCAST_TOPIC,
  configNotifyTopic,
  deviceTopicPrefix,
  TOPIC_ROOT,
} from '../../../shared/contract/topics.js';
import { filterCovers, topicMatchesFilter } from './topic-filter.js';

/** An Owl broker client: a printer's device, or an operator on the cloud side. */
export type OwlPrincipal =
  | { readonly kind: 'device'; readonly deviceId: string }
  | { readonly kind: 'operator'; readonly username: string };

/** Topic filters one principal may use, as the cloud's broker grants them. */
export interface TopicRules {
  /** Filters of the topics the principal may publish to. */
  readonly publish: readonly string[];
  /** Filters the principal may subscribe within and receive messages from. */
  readonly subscribe: readonly string[];
}

/**
 * Returns the rules of a device, which publishes anywhere under its own prefix and subscribes to
 * its commands, its config notifications and the config broadcast.
 */
export function deviceTopicRules(deviceId: string): TopicRules {
  return {
    publish: [`${deviceTopicPrefix(deviceId)}/#`],
    subscribe: [commandSubscription(deviceId), configNotifyTopic(deviceId), CONFIG_BROADCAST_TOPIC],
  };
}

/** Returns the rules of an operator, who reads every device topic and sends commands to all. */
export function operatorTopicRules(): TopicRules {
  return {
    publish: [
      `${TOPIC_ROOT}/+/commands/#`,
      `${TOPIC_ROOT}/+/config/notify`,
      CONFIG_BROADCAST_TOPIC,
    ],
    subscribe: [`${TOPIC_ROOT}/#`],
  };
}

export function topicRulesFor(principal: OwlPrincipal): TopicRules {
  return principal.kind === 'device' ? deviceTopicRules(principal.deviceId) : operatorTopicRules();
}

/** Publish authorizer for the embedded broker with the same rules as the cloud's broker. */
export function isOwlPublishAllowed(principal: OwlPrincipal, topic: string): boolean {
  return topicRulesFor(principal).publish.some((filter) => topicMatchesFilter(filter, topic));
}

/** Subscribe authorizer: the requested filter must lie entirely inside a granted one. */
export function isOwlSubscribeAllowed(principal: OwlPrincipal, filter: string): boolean {
  return topicRulesFor(principal).subscribe.some((granted) => filterCovers(granted, filter));
}

/**
 * Returns whether `deviceId` can be a topic level and a broker user name: 1 to 128 characters,
 * without `/`, the wildcards `+` and `#`, or control characters.
 */
export function isValidDeviceId(deviceId: string): boolean {
  if (deviceId.length === 0 || deviceId.length > 128) return false;
  return !/[/+#]/.test(deviceId) && ![...deviceId].some((char) => char.charCodeAt(0) < 0x20);
}
