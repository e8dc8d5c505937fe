import type { IPublishPacket, ISubscriptionGrant, ISubscriptionMap } from 'mqtt';
import type { QoS } from 'mqtt-packet';

import type { Clock } from '../support/clock.js';
import { CodedError, errorMessage } from '../support/coded-error.js';
import type { MqttClientHandle } from './mqtt-client-handle.js';
import { isFailureReasonCode } from './mqtt-reason-codes.js';

/** Promise wrappers around the callback API of one MQTT client. */

/**
 * Failure codes of a publish. `not_connected`: nothing was sent. `publish_failed`: the broker replied
 * with a failure reason code (`details.reasonCode`), or the connection closed before the
 * acknowledgement (`details.reason` is `connection_closed`).
 */
export type PublishErrorCode = 'not_connected' | 'publish_failed';

export interface PublishOptions {
  qos: QoS;
  retain?: boolean;
  properties?: IPublishPacket['properties'];
}

/**
 * Publishes and resolves when the broker acknowledged: PUBACK for QoS 1, PUBCOMP for QoS 2, and
 * for QoS 0 once the packet was written to the socket.
 */
export function publishOnClient(
  client: MqttClientHandle,
  topic: string,
  payload: Buffer | string,
  options: PublishOptions,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const publishOptions = { qos: options.qos, retain: options.retain ?? false };
    const withProperties = options.properties
      ? { ...publishOptions, properties: options.properties }
      : publishOptions;
    client.publish(topic, payload, withProperties, (error) => {
      if (error) reject(publishError(topic, error));
      else resolve();
    });
  });
}

function publishError(topic: string, error: Error & { code?: unknown }): CodedError {
  const reasonCode = typeof error.code === 'number' ? error.code : undefined;
  if (isFailureReasonCode(reasonCode)) {
    return new CodedError(
      'publish_failed',
      `Broker rejected the publish to ${topic}: ${error.message} (reason code ${reasonCode})`,
      { cause: error, details: { topic, reasonCode } },
    );
  }
  return new CodedError('publish_failed', `Publish to ${topic} failed: ${error.message}`, {
    cause: error,
    details: { topic },
  });
}

export function connectionClosedError(topic: string): CodedError {
  return new CodedError(
    'publish_failed',
    `Publish to ${topic} failed: the connection closed before the broker acknowledged it`,
    { details: { topic, reason: 'connection_closed' } },
  );
}

/** Subscribes and resolves with the grants, or rejects when any filter was not granted. */
export function subscribeOnClient(
  client: MqttClientHandle,
  subscriptions: ISubscriptionMap,
): Promise<ISubscriptionGrant[]> {
  return new Promise((resolve, reject) => {
    client.subscribe(subscriptions, (error, granted) => {
      if (error) {
        reject(
          new CodedError('subscribe_failed', `Subscribe failed: ${errorMessage(error)}`, {
            cause: error,
            details: { filters: Object.keys(subscriptions), granted },
          }),
        );
        return;
      }
      resolve(granted ?? []);
    });
  });
}

export function unsubscribeOnClient(client: MqttClientHandle, filter: string): Promise<void> {
  return new Promise((resolve, reject) => {
    client.unsubscribe(filter, (error) => {
      if (error)
        reject(
          new CodedError('unsubscribe_failed', `Unsubscribe from ${filter} failed`, {
            cause: error,
            details: { filter },
          }),
        );
      else resolve();
    });
  });
}

/**
 * Ends a client. Graceful: waits for outstanding acknowledgements and sends DISCONNECT with
 * reason 0, so the broker discards the Will. When that takes longer than `deadlineMs`, or when
 * `graceful` is false, the socket is destroyed. Always resolves.
 */
export function closeMqttClient(
  client: MqttClientHandle,
  graceful: boolean,
  clock: Clock,
  deadlineMs: number,
): Promise<void> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      clock.clearTimeout(timer);
      resolve();
    };
    const timer = clock.setTimeout(() => {
      client.stream.destroy();
      finish();
    }, deadlineMs);
    client.end(!graceful, { reasonCode: 0 }, finish);
  });
}
