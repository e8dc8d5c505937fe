import { DisposableStore, type Disposable } from '../support/disposable.js';
import type { Logger } from '../support/logger.js';
import type { ConnectedEvent, DisconnectedEvent } from './connection-events.js';
import type { ConnectionState } from './connection-state.js';
import type { DurableOutbox, OutboxMessage, OutboxPublish } from './durable-outbox.js';
import type { LatestValue, LatestValueBuffer } from './latest-value-buffer.js';
import type { PublishOptions } from './mqtt-client-operations.js';
import { classifyPublishFailure } from './publish-failure.js';

/** The part of `DeviceConnection` that publishing needs. */
export interface PublishingConnection {
  readonly state: ConnectionState;
  publish(topic: string, payload: Buffer | string, options: PublishOptions): Promise<void>;
  onConnected(listener: (event: ConnectedEvent) => void): Disposable;
  onDisconnected(listener: (event: DisconnectedEvent) => void): Disposable;
}

/** The `publish` function of a `DurableOutbox` that sends through `connection`. */
export function outboxPublishVia(connection: PublishingConnection): OutboxPublish {
  return (message) =>
    connection.publish(message.topic, message.payload, {
      qos: message.qos,
      ...(message.properties ? { properties: message.properties } : {}),
    });
}

export interface CloudPublisherOptions {
  connection: PublishingConnection;
  latest: LatestValueBuffer;
  outbox: DurableOutbox;
  logger: Logger;
}

/**
 * Routes a device's publishes by how much they matter while offline. Status-like values go out
 * at once when connected and are coalesced per topic otherwise. Events and acks go through the
 * durable outbox. After each connect the coalesced values are published first, and only then does
 * the outbox replay, so the cloud receives the current state before the events that led to it.
 */
export class CloudPublisher implements Disposable {
  private replaying = false;
  private readonly disposables = new DisposableStore();
  private readonly logger: Logger;

  constructor(private readonly options: CloudPublisherOptions) {
    this.logger = options.logger.child({ component: 'publisher' });
    const { connection, outbox } = options;
    this.disposables.add(connection.onConnected(() => void this.replay()));
    this.disposables.add(connection.onDisconnected(() => outbox.pause()));
    if (connection.state === 'connected') void this.replay();
  }

  /** Resolves once published, or once buffered when offline. */
  async publishLatest(value: LatestValue): Promise<void> {
    const { connection, latest } = this.options;
    if (this.replaying || connection.state !== 'connected') {
      latest.offer(value);
      return;
    }
    try {
      await connection.publish(value.topic, value.payload, publishOptionsOf(value));
    } catch (error) {
      if (classifyPublishFailure(error) !== 'offline') throw error;
      latest.offer(value);
    }
  }

  /** Resolves once the message is on disk. It is sent in order when connected. */
  publishDurable(message: OutboxMessage): Promise<void> {
    return this.options.outbox.enqueue(message);
  }

  dispose(): void {
    this.disposables.dispose();
  }

  private async replay(): Promise<void> {
    const { connection, latest, outbox } = this.options;
    this.replaying = true;
    try {
      await latest.flush((value) =>
        connection.publish(value.topic, value.payload, publishOptionsOf(value)),
      );
    } catch (error) {
      this.logger.error({ err: error }, 'replaying coalesced values failed');
    } finally {
      this.replaying = false;
    }
    if (this.disposables.isDisposed || connection.state !== 'connected') return;
    outbox.resume();
  }
}

function publishOptionsOf(value: LatestValue): PublishOptions {
  return {
    qos: value.qos,
    ...(value.retain === undefined ? {} : { retain: value.retain }),
    ...(value.properties ? { properties: value.properties } : {}),
  };
}
