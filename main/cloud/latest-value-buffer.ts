import type { IPublishPacket } from 'mqtt';
import type { QoS } from 'mqtt-packet';

import { CodedError } from '../support/coded-error.js';
import type { Logger } from '../support/logger.js';

export interface LatestValue {
  topic: string;
  payload: Buffer | string;
  qos: QoS;
  retain?: boolean;
  properties?: IPublishPacket['properties'];
}

export interface LatestValueStats {
  /** Topics with a value waiting. */
  pendingCoalesced: number;
  /** Values offered while offline. */
  bufferedTotal: number;
  /** Values replaced by a newer one for the same topic. */
  coalescedTotal: number;
  /** Values dropped because `maxTopics` topics were already waiting. */
  droppedTotal: number;
  /** Values published by `flush`. */
  replayedTotal: number;
}

export const DEFAULT_MAX_TOPICS = 200;

/**
 * Status-like values (status, sensors, objects) held while offline. Only the newest value per
 * topic is kept, since an older one carries nothing the newer lacks. At most `maxTopics` topics
 * wait, and beyond that the topic updated longest ago is dropped. `flush` publishes them, oldest
 * update first.
 */
export class LatestValueBuffer {
  private readonly values = new Map<string, LatestValue>();
  private readonly counters = { buffered: 0, coalesced: 0, dropped: 0, replayed: 0 };
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly logger: Logger,
    private readonly maxTopics = DEFAULT_MAX_TOPICS,
  ) {}

  get size(): number {
    return this.values.size;
  }

  offer(value: LatestValue): void {
    this.counters.buffered += 1;
    if (this.values.delete(value.topic)) this.counters.coalesced += 1;
    this.values.set(value.topic, value);
    if (this.values.size <= this.maxTopics) return;

    const oldest = this.values.keys().next().value;
    if (oldest === undefined) return;
    this.values.delete(oldest);
    this.counters.dropped += 1;
    this.logger.warn(
      { topic: oldest, maxTopics: this.maxTopics },
      'offline buffer full, dropped the oldest topic',
    );
  }

  /**
   * Publishes every waiting value. On `not_connected` it stops and keeps the rest for the next
   * flush. A value that fails otherwise is logged and dropped. Concurrent calls share one run.
   */
  flush(publish: (value: LatestValue) => Promise<void>): Promise<void> {
    this.flushing ??= this.flushAll(publish).finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  stats(): LatestValueStats {
    return {
      pendingCoalesced: this.values.size,
      bufferedTotal: this.counters.buffered,
      coalescedTotal: this.counters.coalesced,
      droppedTotal: this.counters.dropped,
      replayedTotal: this.counters.replayed,
    };
  }

  clear(): void {
    this.values.clear();
  }

  private async flushAll(publish: (value: LatestValue) => Promise<void>): Promise<void> {
    for (;;) {
      const next = this.values.values().next();
      if (next.done) return;
      const value = next.value;
      this.values.delete(value.topic);
      try {
        await publish(value);
        this.counters.replayed += 1;
      } catch (error) {
        if (error instanceof CodedError && error.code === 'not_connected') {
          if (!this.values.has(value.topic)) this.offerBack(value);
          return;
        }
        this.logger.warn(
          { err: error, topic: value.topic },
          'offline buffer replay failed, dropped the value',
        );
      }
    }
  }

  /** Puts a value back in front, as it is older than anything offered during the flush. */
  private offerBack(value: LatestValue): void {
    const rest = [...this.values.values()];
    this.values.clear();
    this.values.set(value.topic, value);
    for (const other of rest) this.values.set(other.topic, other);
  }
}
