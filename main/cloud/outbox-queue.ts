import type { QoS } from 'mqtt-packet';

import type { OutboxProperties, PutRecord } from './outbox-records.js';

export interface OutboxMessage {
  topic: string;
  payload: Buffer | string;
  qos: QoS;
  properties?: OutboxProperties;
}

export interface QueuedMessage {
  /** Increasing within one journal, so id order is enqueue order. */
  readonly id: number;
  readonly topic: string;
  readonly payload: Buffer;
  readonly qos: QoS;
  readonly properties?: OutboxProperties;
  /** Wall-clock epoch milliseconds. */
  readonly enqueuedAt: number;
  /** Payload plus topic bytes, the unit of `maxBytes`. */
  readonly bytes: number;
  /** True when the message waited through a pause or a restart. */
  waited: boolean;
}

export interface OutboxBounds {
  maxMessages: number;
  maxBytes: number;
}

/** The outbox's messages in memory, oldest first, with their count and byte bounds. */
export class OutboxQueue {
  /** Id of the message being sent, which overflow never drops. */
  inFlightId: number | null = null;
  private messages: QueuedMessage[] = [];
  private totalBytes = 0;
  private nextId = 1;

  constructor(readonly bounds: OutboxBounds) {}

  /** Rebuilds the queue from the journal. Those messages count as having waited. */
  static fromRecords(records: readonly PutRecord[], bounds: OutboxBounds): OutboxQueue {
    const queue = new OutboxQueue(bounds);
    for (const record of records) {
      const payload = Buffer.from(record.payload, 'base64');
      queue.push({
        id: record.id,
        topic: record.topic,
        payload,
        qos: record.qos,
        ...(record.properties ? { properties: record.properties } : {}),
        enqueuedAt: record.enqueuedAt,
        bytes: messageBytes(record.topic, payload),
        waited: true,
      });
    }
    return queue;
  }

  get length(): number {
    return this.messages.length;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  head(): QueuedMessage | undefined {
    return this.messages[0];
  }

  all(): readonly QueuedMessage[] {
    return this.messages;
  }

  /** Appends a message. */
  add(message: OutboxMessage, enqueuedAt: number, waited: boolean): QueuedMessage {
    const payload = toBuffer(message.payload);
    const queued: QueuedMessage = {
      id: this.nextId,
      topic: message.topic,
      payload,
      qos: message.qos,
      ...(message.properties ? { properties: message.properties } : {}),
      enqueuedAt,
      bytes: messageBytes(message.topic, payload),
      waited,
    };
    this.push(queued);
    return queued;
  }

  remove(messages: readonly QueuedMessage[]): void {
    const ids = new Set(messages.map((message) => message.id));
    const remaining = this.messages.filter((message) => !ids.has(message.id));
    this.totalBytes = remaining.reduce((sum, message) => sum + message.bytes, 0);
    this.messages = remaining;
  }

  markAllWaited(): void {
    for (const message of this.messages) message.waited = true;
  }

  /**
   * Returns the oldest messages to drop until the queue fits its bounds. The message in flight
   * and the newest message are never chosen.
   */
  takeOverflow(): QueuedMessage[] {
    const overflow: QueuedMessage[] = [];
    let count = this.messages.length;
    let bytes = this.totalBytes;
    const newest = this.messages.at(-1);
    for (const message of this.messages) {
      if (count <= this.bounds.maxMessages && bytes <= this.bounds.maxBytes) break;
      if (message === newest) break;
      if (message.id === this.inFlightId) continue;
      overflow.push(message);
      count -= 1;
      bytes -= message.bytes;
    }
    return overflow;
  }

  private push(message: QueuedMessage): void {
    this.messages.push(message);
    this.totalBytes += message.bytes;
    this.nextId = Math.max(this.nextId, message.id + 1);
  }
}

export function messageBytes(topic: string, payload: Buffer | string): number {
  return (
    Buffer.byteLength(topic) +
    (typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length)
  );
}

function toBuffer(payload: Buffer | string): Buffer {
  return typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
}

export function toPutRecord(message: QueuedMessage): PutRecord {
  return {
    op: 'put',
    id: message.id,
    topic: message.topic,
    payload: message.payload.toString('base64'),
    qos: message.qos,
    ...(message.properties ? { properties: message.properties } : {}),
    enqueuedAt: message.enqueuedAt,
  };
}
