import type { IPublishPacket, QoS } from 'mqtt-packet';

import { type BrokerMessage, isExpired, outgoingPublish } from './broker-message.js';
import { PacketIdAllocator } from './packet-id-allocator.js';

/** One message on its way to one subscriber, at the QoS granted for that subscriber. */
export interface Delivery {
  readonly message: BrokerMessage;
  readonly qos: QoS;
  readonly retain: boolean;
}

type InflightPhase = 'awaiting-puback' | 'awaiting-pubrec' | 'awaiting-pubcomp';

interface InflightDelivery extends Delivery {
  readonly packetId: number;
  phase: InflightPhase;
}

/** The connection a session's deliveries are written to while the client is connected. */
export interface DeliverySink {
  /** Writes the packet. Returns false when it was dropped, such as above the client's size limit. */
  sendPublish(packet: IPublishPacket): boolean;
  sendPubrel(packetId: number): void;
  /** The client's Receive Maximum: how many QoS 1 and 2 messages may be unacknowledged at once. */
  readonly receiveMaximum: number;
}

export type DropReason = 'queue-full' | 'expired' | 'rejected-by-connection';

export interface OutboundFlowOptions {
  maximumQueued: number;
  monotonic: () => number;
  onDrop: (delivery: Delivery, reason: DropReason) => void;
}

/**
 * The outgoing QoS flows of one session: packet id allocation, the in-flight window, and the queue
 * of messages waiting while the window is full or the client is away. When a persistent session
 * reconnects, every unacknowledged PUBLISH and PUBREL is sent again.
 */
export class OutboundFlow {
  private readonly inflight = new Map<number, InflightDelivery>();
  private readonly queue: Delivery[] = [];
  private readonly packetIds = new PacketIdAllocator();
  private sink: DeliverySink | null = null;

  constructor(private readonly options: OutboundFlowOptions) {}

  get queuedCount(): number {
    return this.queue.length;
  }

  get inflightCount(): number {
    return this.inflight.size;
  }

  /** Connects the flow to a client: resends what is unacknowledged, then sends what is queued. */
  attach(sink: DeliverySink): void {
    this.sink = sink;
    for (const entry of [...this.inflight.values()]) this.resend(entry);
    this.pump();
  }

  detach(): void {
    this.sink = null;
  }

  deliver(delivery: Delivery): void {
    if (delivery.qos === 0) {
      this.sendQos0(delivery);
      return;
    }
    if (this.queue.length >= this.options.maximumQueued) {
      this.options.onDrop(delivery, 'queue-full');
      return;
    }
    this.queue.push(delivery);
    this.pump();
  }

  /** Handles PUBACK (QoS 1) or PUBCOMP (QoS 2). Returns false for an unknown packet id. */
  complete(packetId: number): boolean {
    if (!this.inflight.has(packetId)) return false;
    this.release(packetId);
    this.pump();
    return true;
  }

  /** Handles PUBREC. Returns false for an unknown packet id. */
  received(packetId: number, failed: boolean): boolean {
    const entry = this.inflight.get(packetId);
    if (!entry) return false;
    if (failed) return this.complete(packetId);

    entry.phase = 'awaiting-pubcomp';
    this.sink?.sendPubrel(packetId);
    return true;
  }

  private sendQos0(delivery: Delivery): void {
    if (!this.sink) return;
    if (isExpired(delivery.message, this.options.monotonic())) return;
    this.sink.sendPublish(this.packetFor(delivery, undefined, false));
  }

  private pump(): void {
    while (this.sink && this.queue.length > 0 && this.hasWindow(this.sink)) {
      const next = this.queue.shift();
      if (!next) return;
      if (isExpired(next.message, this.options.monotonic())) {
        this.options.onDrop(next, 'expired');
        continue;
      }
      if (!this.start(next, this.sink)) return;
    }
  }

  private hasWindow(sink: DeliverySink): boolean {
    return this.inflight.size < sink.receiveMaximum;
  }

  /** Sends a queued delivery. Returns false, leaving it queued, when no packet id is free. */
  private start(delivery: Delivery, sink: DeliverySink): boolean {
    const packetId = this.packetIds.allocate();
    if (packetId === null) {
      this.queue.unshift(delivery);
      return false;
    }
    const phase: InflightPhase = delivery.qos === 1 ? 'awaiting-puback' : 'awaiting-pubrec';
    this.inflight.set(packetId, { ...delivery, packetId, phase });
    if (!sink.sendPublish(this.packetFor(delivery, packetId, false))) {
      this.release(packetId);
      this.options.onDrop(delivery, 'rejected-by-connection');
    }
    return true;
  }

  private resend(entry: InflightDelivery): void {
    if (!this.sink) return;
    if (entry.phase === 'awaiting-pubcomp') {
      this.sink.sendPubrel(entry.packetId);
      return;
    }
    if (!this.sink.sendPublish(this.packetFor(entry, entry.packetId, true))) {
      this.release(entry.packetId);
      this.options.onDrop(entry, 'rejected-by-connection');
    }
  }

  private release(packetId: number): void {
    this.inflight.delete(packetId);
    this.packetIds.release(packetId);
  }

  private packetFor(
    delivery: Delivery,
    packetId: number | undefined,
    dup: boolean,
  ): IPublishPacket {
    return outgoingPublish(
      delivery.message,
      { qos: delivery.qos, retain: delivery.retain, dup, messageId: packetId },
      this.options.monotonic(),
    );
  }
}
