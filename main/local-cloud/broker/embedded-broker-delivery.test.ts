import type { IPubcompPacket, IPubrecPacket, IUnsubackPacket, QoS } from 'mqtt-packet';
import { afterEach, describe, expect, it } from 'vitest';

import { FakeClock } from '../../../test/support/fake-clock.js';
import { TestClients } from '../../../test/support/mqtt-test-clients.js';
import {
  type ClientIdentity,
  EmbeddedBroker,
  type EmbeddedBrokerOptions,
  type PublishEvent,
} from './embedded-broker.js';
import { ReasonCode } from './reason-codes.js';

const clients = new TestClients();
let broker: EmbeddedBroker | undefined;

async function startBroker(options: EmbeddedBrokerOptions<ClientIdentity> = {}) {
  const started = new EmbeddedBroker(options);
  broker = started;
  const address = await started.listen();
  return { ...address, broker: started };
}

afterEach(async () => {
  await clients.closeAll();
  await broker?.close();
  broker = undefined;
});

describe('EmbeddedBroker delivery', () => {
  describe('QoS', () => {
    const levels: QoS[] = [0, 1, 2];
    const cases = levels.flatMap((published) =>
      levels.map((subscribed) => ({ published, subscribed })),
    );

    it.each(cases)(
      'delivers QoS $published to a QoS $subscribed subscription',
      async ({ published, subscribed }) => {
        const { url } = await startBroker();
        const subscriber = await clients.connect(url);
        await subscriber.client.subscribeAsync('q/#', { qos: subscribed });
        const { client } = await clients.connect(url);

        await client.publishAsync('q/1', 'payload', { qos: published });

        const received = await subscriber.inbox.next();
        expect(received.payload).toBe('payload');
        expect(received.packet.qos).toBe(Math.min(published, subscribed));
      },
    );

    it('delivers in publish order', async () => {
      const { url } = await startBroker();
      const subscriber = await clients.connect(url);
      await subscriber.client.subscribeAsync('order', { qos: 1 });
      const { client } = await clients.connect(url);

      for (let index = 0; index < 20; index += 1) {
        await client.publishAsync('order', String(index), { qos: (index % 3) as QoS });
      }

      const received = await subscriber.inbox.take(20);
      expect(received.map((message) => message.payload)).toEqual(
        Array.from({ length: 20 }, (_, index) => String(index)),
      );
    });

    it('delivers once to overlapping subscriptions', async () => {
      const { url } = await startBroker();
      const subscriber = await clients.connect(url);
      await subscriber.client.subscribeAsync({ 'a/#': { qos: 0 }, 'a/+': { qos: 2 } });
      const { client } = await clients.connect(url);

      await client.publishAsync('a/b', 'once', { qos: 2 });
      await client.publishAsync('a/b/c', 'sentinel', { qos: 0 });

      const [first, second] = await subscriber.inbox.take(2);
      expect(first?.payload).toBe('once');
      expect(first?.packet.qos).toBe(2);
      expect(second?.payload).toBe('sentinel');
    });

    it('routes a resent QoS 2 PUBLISH exactly once', async () => {
      const { url, port } = await startBroker();
      const subscriber = await clients.connect(url);
      await subscriber.client.subscribeAsync('exactly/#', { qos: 2 });
      const raw = await clients.raw(port);
      await raw.handshake('qos2-publisher');
      const publish = {
        cmd: 'publish' as const,
        topic: 'exactly/once',
        payload: 'one',
        qos: 2 as const,
        messageId: 7,
        retain: false,
        dup: false,
      };

      raw.send(publish);
      const firstRec = (await raw.expect('pubrec')) as IPubrecPacket;
      raw.send({ ...publish, dup: true });
      const secondRec = (await raw.expect('pubrec')) as IPubrecPacket;
      raw.send({ cmd: 'pubrel', messageId: 7 });
      await raw.expect('pubcomp');
      raw.send({ ...publish, payload: 'after release', qos: 0, messageId: undefined });

      const received = await subscriber.inbox.take(2);
      expect(firstRec.messageId).toBe(7);
      expect(secondRec.messageId).toBe(7);
      expect(received.map((message) => message.payload)).toEqual(['one', 'after release']);
    });

    it('answers unknown PUBREL with 0x92', async () => {
      const { port } = await startBroker();
      const raw = await clients.raw(port);
      await raw.handshake('stray-pubrel');

      raw.send({ cmd: 'pubrel', messageId: 42 });

      const pubcomp = (await raw.expect('pubcomp')) as IPubcompPacket;
      expect(pubcomp.messageId).toBe(42);
      expect(pubcomp.reasonCode).toBe(0x92);
    });
  });

  describe('wildcards', () => {
    it('keeps $ topics from leading wildcards', async () => {
      const { url } = await startBroker();
      const subscriber = await clients.connect(url);
      await subscriber.client.subscribeAsync(['#', 'owl/+/status'], { qos: 1 });
      const { client } = await clients.connect(url);

      await client.publishAsync('$internal/x', 'hidden', { qos: 1 });
      await client.publishAsync('owl/a/status', 'seen', { qos: 1 });

      const first = await subscriber.inbox.next();
      expect(first.topic).toBe('owl/a/status');
    });

    it('stops delivery after unsubscribe', async () => {
      const { url } = await startBroker();
      const subscriber = await clients.connect(url);
      await subscriber.client.subscribeAsync(['a', 'b'], { qos: 1 });
      await subscriber.client.unsubscribeAsync('a');
      const { client } = await clients.connect(url);

      await client.publishAsync('a', 'unsubscribed', { qos: 1 });
      await client.publishAsync('b', 'subscribed', { qos: 1 });

      expect((await subscriber.inbox.next()).payload).toBe('subscribed');
    });

    it('reports per filter whether a subscription existed', async () => {
      const { url } = await startBroker();
      const { client } = await clients.connect(url);
      await client.subscribeAsync('a');

      const unsuback = (await client.unsubscribeAsync(['a', 'never'])) as IUnsubackPacket;

      expect(unsuback.granted).toEqual([0, ReasonCode.noSubscriptionExisted]);
    });

    it('skips own messages with no local', async () => {
      const { url } = await startBroker();
      const self = await clients.connect(url);
      await self.client.subscribeAsync('echo', { qos: 1, nl: true });

      await self.client.publishAsync('echo', 'own', { qos: 1 });
      const other = await clients.connect(url);
      await other.client.publishAsync('echo', 'other', { qos: 1 });

      expect((await self.inbox.next()).payload).toBe('other');
    });
  });

  describe('retained messages', () => {
    it('delivers retained message to late subscriber', async () => {
      const { url } = await startBroker();
      const { client } = await clients.connect(url);
      await client.publishAsync('owl/printers/a/status', 'offline', { qos: 1, retain: true });

      const late = await clients.connect(url);
      await late.client.subscribeAsync('owl/printers/+/status', { qos: 1 });

      const received = await late.inbox.next();
      expect(received.payload).toBe('offline');
      expect(received.packet.retain).toBe(true);
      expect(received.packet.qos).toBe(1);
    });

    it('clears the retained message on an empty payload', async () => {
      const { url, broker: started } = await startBroker();
      const { client } = await clients.connect(url);
      await client.publishAsync('r/a', 'old', { qos: 1, retain: true });
      await client.publishAsync('r/a', '', { qos: 1, retain: true });
      await client.publishAsync('r/b', 'kept', { qos: 1, retain: true });

      const late = await clients.connect(url);
      await late.client.subscribeAsync('r/#', { qos: 1 });

      const received = await late.inbox.next();
      expect(received.topic).toBe('r/b');
      expect(started.retainedMessage('r/a')).toBeUndefined();
    });

    it('clears retain flag on live delivery', async () => {
      const { url } = await startBroker();
      const subscriber = await clients.connect(url);
      await subscriber.client.subscribeAsync('live', { qos: 1 });
      const { client } = await clients.connect(url);

      await client.publishAsync('live', 'now', { qos: 1, retain: true });

      expect((await subscriber.inbox.next()).packet.retain).toBe(false);
    });

    it('keeps the retain flag for retain-as-published subscriptions', async () => {
      const { url } = await startBroker();
      const subscriber = await clients.connect(url);
      await subscriber.client.subscribeAsync('live', { qos: 1, rap: true });
      const { client } = await clients.connect(url);

      await client.publishAsync('live', 'now', { qos: 1, retain: true });

      expect((await subscriber.inbox.next()).packet.retain).toBe(true);
    });

    it('sends no retained messages with retain handling 2', async () => {
      const { url } = await startBroker();
      const { client } = await clients.connect(url);
      await client.publishAsync('rh/a', 'retained', { qos: 1, retain: true });
      const late = await clients.connect(url);

      await late.client.subscribeAsync('rh/#', { qos: 1, rh: 2 });
      await client.publishAsync('rh/b', 'live', { qos: 1 });

      expect((await late.inbox.next()).payload).toBe('live');
    });

    it('drops a retained message after its expiry interval', async () => {
      const clock = new FakeClock();
      const { url, broker: started } = await startBroker({ clock });
      const { client } = await clients.connect(url);
      await client.publishAsync('exp', 'short-lived', {
        qos: 1,
        retain: true,
        properties: { messageExpiryInterval: 10 },
      });

      clock.advance(4_000);
      expect(started.retainedMessage('exp')?.properties.messageExpiryInterval).toBe(6);
      clock.advance(6_000);
      expect(started.retainedMessage('exp')).toBeUndefined();
    });

    it('delivers retained messages to MQTT 3.1.1 subscribers', async () => {
      const { url } = await startBroker();
      const { client } = await clients.connect(url);
      await client.publishAsync('v4/r', 'retained', { qos: 1, retain: true });

      const late = await clients.connect(url, { protocolVersion: 4 });
      await late.client.subscribeAsync('v4/#', { qos: 1 });

      const received = await late.inbox.next();
      expect(received.payload).toBe('retained');
      expect(received.packet.retain).toBe(true);
    });
  });

  describe('properties', () => {
    it('forwards MQTT 5 publish properties to subscribers', async () => {
      const { url } = await startBroker();
      const subscriber = await clients.connect(url);
      await subscriber.client.subscribeAsync('props', { qos: 1 });
      const { client } = await clients.connect(url);

      await client.publishAsync('props', '{"a":1}', {
        qos: 1,
        properties: {
          userProperties: { source: 'test', trace: ['1', '2'] },
          contentType: 'application/json',
          payloadFormatIndicator: true,
          responseTopic: 'replies/1',
          correlationData: Buffer.from('c-1'),
          messageExpiryInterval: 60,
        },
      });

      const { properties } = (await subscriber.inbox.next()).packet;
      expect({ ...properties?.userProperties }).toEqual({ source: 'test', trace: ['1', '2'] });
      expect(properties?.contentType).toBe('application/json');
      expect(properties?.payloadFormatIndicator).toBe(true);
      expect(properties?.responseTopic).toBe('replies/1');
      expect(properties?.correlationData?.toString()).toBe('c-1');
      expect(properties?.messageExpiryInterval).toBe(60);
    });

    it('sends no properties to MQTT 3.1.1 subscribers', async () => {
      const { url } = await startBroker();
      const subscriber = await clients.connect(url, { protocolVersion: 4 });
      await subscriber.client.subscribeAsync('props', { qos: 1 });
      const { client } = await clients.connect(url);

      await client.publishAsync('props', 'x', {
        qos: 1,
        properties: { userProperties: { a: 'b' } },
      });

      const received = await subscriber.inbox.next();
      expect(received.payload).toBe('x');
      expect(received.packet.properties).toBeUndefined();
    });

    it('reports accepted messages with their properties', async () => {
      const { url, broker: started } = await startBroker();
      const events: PublishEvent[] = [];
      started.onPublish((event) => events.push(event));
      const { client } = await clients.connect(url, { clientId: 'reporter' });

      await client.publishAsync('events/x', 'body', {
        qos: 2,
        retain: true,
        properties: { userProperties: { k: 'v' } },
      });

      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        clientId: 'reporter',
        topic: 'events/x',
        qos: 2,
        retain: true,
        origin: 'client',
      });
      expect(events[0]?.payload.toString()).toBe('body');
      expect({ ...events[0]?.properties.userProperties }).toEqual({ k: 'v' });
    });
  });

  describe('publish', () => {
    it('delivers a message from the broker itself', async () => {
      const { url, broker: started } = await startBroker();
      const device = await clients.connect(url);
      await device.client.subscribeAsync('owl/printers/a/commands/#', { qos: 1 });

      started.publish({
        topic: 'owl/printers/a/commands/print:pause',
        payload: '{"commandId":"1"}',
        qos: 1,
        properties: { contentType: 'application/json' },
      });

      const received = await device.inbox.next();
      expect(received.payload).toBe('{"commandId":"1"}');
      expect(received.packet.properties?.contentType).toBe('application/json');
    });

    it('rejects an invalid topic name', async () => {
      const { broker: started } = await startBroker();

      expect(() => started.publish({ topic: 'a/+', payload: 'x' })).toThrow(
        expect.objectContaining({ code: 'invalid_topic', message: 'Invalid topic name "a/+"' }),
      );
    });

    it('reports subscriptions', async () => {
      const { url, broker: started } = await startBroker();
      const subscribed = new Promise((resolve) => started.onSubscribe(resolve));
      const device = await clients.connect(url, { clientId: 'dev-1' });

      await device.client.subscribeAsync('owl/printers/dev-1/commands/#', { qos: 1 });

      expect(await subscribed).toEqual({
        clientId: 'dev-1',
        filter: 'owl/printers/dev-1/commands/#',
        qos: 1,
      });
    });
  });
});
