import type { IPublishPacket, QoS } from 'mqtt-packet';
import { describe, expect, it } from 'vitest';

import type { BrokerMessage } from './broker-message.js';
import {
  type Delivery,
  type DeliverySink,
  type DropReason,
  OutboundFlow,
} from './outbound-flow.js';

class RecordingSink implements DeliverySink {
  readonly publishes: IPublishPacket[] = [];
  readonly pubrels: number[] = [];
  accept = true;

  constructor(readonly receiveMaximum = 100) {}

  sendPublish(packet: IPublishPacket): boolean {
    this.publishes.push(packet);
    return this.accept;
  }

  sendPubrel(packetId: number): void {
    this.pubrels.push(packetId);
  }
}

function message(topic: string, qos: QoS, expiresAt?: number): BrokerMessage {
  return {
    topic,
    payload: Buffer.from(topic),
    qos,
    retain: false,
    properties: {},
    expiresAt,
    senderClientId: 'publisher',
  };
}

function delivery(topic: string, qos: QoS, expiresAt?: number): Delivery {
  return { message: message(topic, qos, expiresAt), qos, retain: false };
}

function createFlow(options: { maximumQueued?: number; now?: () => number } = {}) {
  const drops: { topic: string; reason: DropReason }[] = [];
  const flow = new OutboundFlow({
    maximumQueued: options.maximumQueued ?? 10,
    monotonic: options.now ?? (() => 0),
    onDrop: (dropped, reason) => drops.push({ topic: dropped.message.topic, reason }),
  });
  return { flow, drops };
}

describe('OutboundFlow', () => {
  describe('deliver', () => {
    it('sends QoS 1 with increasing packet ids', () => {
      const { flow } = createFlow();
      const sink = new RecordingSink();
      flow.attach(sink);

      flow.deliver(delivery('a', 1));
      flow.deliver(delivery('b', 1));

      expect(sink.publishes.map((packet) => packet.messageId)).toEqual([1, 2]);
      expect(flow.inflightCount).toBe(2);
    });

    it('sends QoS 0 without packet id', () => {
      const { flow } = createFlow();
      const sink = new RecordingSink();
      flow.attach(sink);

      flow.deliver(delivery('a', 0));

      expect(sink.publishes[0]?.messageId).toBeUndefined();
      expect(flow.inflightCount).toBe(0);
    });

    it('drops QoS 0 while detached', () => {
      const { flow } = createFlow();

      flow.deliver(delivery('a', 0));

      expect(flow.queuedCount).toBe(0);
    });

    it('queues QoS 1 while detached and sends on attach', () => {
      const { flow } = createFlow();
      flow.deliver(delivery('a', 1));
      flow.deliver(delivery('b', 2));
      const sink = new RecordingSink();

      flow.attach(sink);

      expect(sink.publishes.map((packet) => packet.topic)).toEqual(['a', 'b']);
      expect(flow.queuedCount).toBe(0);
    });

    it('drops the newest message when the queue is full', () => {
      const { flow, drops } = createFlow({ maximumQueued: 2 });

      for (const topic of ['a', 'b', 'c']) flow.deliver(delivery(topic, 1));

      expect(flow.queuedCount).toBe(2);
      expect(drops).toEqual([{ topic: 'c', reason: 'queue-full' }]);
    });

    it('holds messages beyond the receive maximum', () => {
      const { flow } = createFlow();
      const sink = new RecordingSink(1);
      flow.attach(sink);

      flow.deliver(delivery('a', 1));
      flow.deliver(delivery('b', 1));

      expect(sink.publishes.map((packet) => packet.topic)).toEqual(['a']);
      flow.complete(1);
      expect(sink.publishes.map((packet) => packet.topic)).toEqual(['a', 'b']);
    });

    it('drops queued messages that expired', () => {
      let now = 0;
      const { flow, drops } = createFlow({ now: () => now });
      flow.deliver(delivery('a', 1, 1000));
      now = 1000;

      flow.attach(new RecordingSink());

      expect(drops).toEqual([{ topic: 'a', reason: 'expired' }]);
    });

    it('frees packet id of rejected message', () => {
      const { flow, drops } = createFlow();
      const sink = new RecordingSink();
      sink.accept = false;
      flow.attach(sink);

      flow.deliver(delivery('a', 1));

      expect(flow.inflightCount).toBe(0);
      expect(drops).toEqual([{ topic: 'a', reason: 'rejected-by-connection' }]);
    });
  });

  describe('received', () => {
    it('answers PUBREC with PUBREL and completes on PUBCOMP', () => {
      const { flow } = createFlow();
      const sink = new RecordingSink();
      flow.attach(sink);
      flow.deliver(delivery('a', 2));

      expect(flow.received(1, false)).toBe(true);
      expect(sink.pubrels).toEqual([1]);
      expect(flow.complete(1)).toBe(true);
      expect(flow.inflightCount).toBe(0);
    });

    it('ends the flow on a failed PUBREC', () => {
      const { flow } = createFlow();
      const sink = new RecordingSink();
      flow.attach(sink);
      flow.deliver(delivery('a', 2));

      flow.received(1, true);

      expect(sink.pubrels).toEqual([]);
      expect(flow.inflightCount).toBe(0);
    });

    it('reports an unknown packet id', () => {
      const { flow } = createFlow();
      flow.attach(new RecordingSink());

      expect(flow.received(9, false)).toBe(false);
      expect(flow.complete(9)).toBe(false);
    });
  });

  describe('attach', () => {
    it('resends unacknowledged messages with dup', () => {
      const { flow } = createFlow();
      flow.attach(new RecordingSink());
      flow.deliver(delivery('a', 1));
      flow.deliver(delivery('b', 2));
      flow.deliver(delivery('c', 2));
      flow.received(3, false);
      flow.detach();
      const next = new RecordingSink();

      flow.attach(next);

      const resent = next.publishes.map((packet) => [packet.topic, packet.messageId, packet.dup]);
      expect(resent).toEqual([
        ['a', 1, true],
        ['b', 2, true],
      ]);
      expect(next.pubrels).toEqual([3]);
    });
  });
});
