import type { MqttClient } from 'mqtt';
import type { IDisconnectPacket, IPublishPacket } from 'mqtt-packet';
import { afterEach, describe, expect, it } from 'vitest';

import { FakeClock } from '../../../test/support/fake-clock.js';
import { TestClients } from '../../../test/support/mqtt-test-clients.js';
import {
  type ClientDisconnectedEvent,
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

const persistent = {
  clientId: 'device-1',
  clean: false,
  properties: { sessionExpiryInterval: 300 },
};

const offlineWill = {
  topic: 'owl/printers/device-1/status',
  payload: Buffer.from('{"phase":"Offline"}'),
  qos: 1 as const,
  retain: true,
};

function nextDisconnectEvent(
  started: EmbeddedBroker,
  clientId: string,
): Promise<ClientDisconnectedEvent> {
  return new Promise((resolve) => {
    const listener = started.onClientDisconnected((event) => {
      if (event.clientId !== clientId) return;
      listener.dispose();
      resolve(event);
    });
  });
}

function nextWill(started: EmbeddedBroker): Promise<PublishEvent> {
  return new Promise((resolve) => {
    const listener = started.onPublish((event) => {
      if (event.origin !== 'will') return;
      listener.dispose();
      resolve(event);
    });
  });
}

function closedByBroker(client: MqttClient): Promise<IDisconnectPacket> {
  return new Promise((resolve) => client.once('disconnect', resolve));
}

describe('EmbeddedBroker sessions', () => {
  describe('persistent sessions', () => {
    it('queues QoS 1 messages while the client is away', async () => {
      const { url, broker: started } = await startBroker();
      const device = await clients.connect(url, persistent);
      await device.client.subscribeAsync('owl/printers/device-1/commands/#', { qos: 2 });
      const disconnected = nextDisconnectEvent(started, 'device-1');
      await device.client.endAsync();
      await disconnected;
      const cloud = await clients.connect(url);

      await cloud.client.publishAsync('owl/printers/device-1/commands/a', 'first', { qos: 1 });
      await cloud.client.publishAsync('owl/printers/device-1/commands/b', 'second', { qos: 2 });
      await cloud.client.publishAsync('owl/printers/device-1/commands/c', 'lost', { qos: 0 });
      const back = await clients.connect(url, persistent);

      expect(back.connack.sessionPresent).toBe(true);
      const received = await back.inbox.take(2);
      expect(received.map((message) => message.payload)).toEqual(['first', 'second']);
      expect(received.map((message) => message.packet.qos)).toEqual([1, 2]);
    });

    it('keeps MQTT 3.1.1 clean=false sessions', async () => {
      const { url, broker: started } = await startBroker();
      const options = { protocolVersion: 4 as const, clientId: 'legacy', clean: false };
      const device = await clients.connect(url, options);
      await device.client.subscribeAsync('legacy/#', { qos: 1 });
      const disconnected = nextDisconnectEvent(started, 'legacy');
      await device.client.endAsync();
      await disconnected;
      const cloud = await clients.connect(url);

      await cloud.client.publishAsync('legacy/x', 'queued', { qos: 1 });
      const back = await clients.connect(url, options);

      expect(back.connack.sessionPresent).toBe(true);
      expect((await back.inbox.next()).payload).toBe('queued');
    });

    it('starts a clean session when asked', async () => {
      const { url, broker: started } = await startBroker();
      const device = await clients.connect(url, persistent);
      await device.client.subscribeAsync('x', { qos: 1 });
      const disconnected = nextDisconnectEvent(started, 'device-1');
      await device.client.endAsync();
      await disconnected;

      const back = await clients.connect(url, { ...persistent, clean: true });

      expect(back.connack.sessionPresent).toBe(false);
    });

    it('drops session without expiry interval', async () => {
      const { url, broker: started } = await startBroker();
      const device = await clients.connect(url, { clientId: 'short', clean: false });
      const disconnected = nextDisconnectEvent(started, 'short');

      await device.client.endAsync();
      await disconnected;

      expect(started.hasSession('short')).toBe(false);
    });

    it('ends the session after its expiry interval', async () => {
      const clock = new FakeClock();
      const { url, broker: started } = await startBroker({ clock });
      const device = await clients.connect(url, {
        ...persistent,
        properties: { sessionExpiryInterval: 30 },
      });
      const disconnected = nextDisconnectEvent(started, 'device-1');
      await device.client.endAsync();
      await disconnected;

      clock.advance(29_000);
      expect(started.hasSession('device-1')).toBe(true);
      clock.advance(1_000);
      expect(started.hasSession('device-1')).toBe(false);
      const back = await clients.connect(url, persistent);
      expect(back.connack.sessionPresent).toBe(false);
    });

    it('caps the session expiry interval', async () => {
      const { url } = await startBroker({ maximumSessionExpirySeconds: 60 });

      const { connack } = await clients.connect(url, persistent);

      expect(connack.properties?.sessionExpiryInterval).toBe(60);
    });

    it('resends unacknowledged QoS 1 with dup', async () => {
      const { url, port, broker: started } = await startBroker();
      const raw = await clients.raw(port);
      await raw.handshake('forgetful', {
        clean: false,
        properties: { sessionExpiryInterval: 60 },
      });
      raw.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'retry', qos: 1 }] });
      await raw.expect('suback');
      const cloud = await clients.connect(url);
      await cloud.client.publishAsync('retry', 'unacked', { qos: 1 });
      const first = (await raw.expect('publish')) as IPublishPacket;
      const disconnected = nextDisconnectEvent(started, 'forgetful');
      raw.destroy();
      await disconnected;

      const again = await clients.raw(port);
      const connack = await again.handshake('forgetful', {
        clean: false,
        properties: { sessionExpiryInterval: 60 },
      });
      const resent = (await again.expect('publish')) as IPublishPacket;

      expect(connack.sessionPresent).toBe(true);
      expect(resent.messageId).toBe(first.messageId);
      expect(resent.dup).toBe(true);
      expect(resent.payload.toString()).toBe('unacked');
    });

    it('keeps QoS 2 packet ids across reconnects', async () => {
      const { url, port, broker: started } = await startBroker();
      const subscriber = await clients.connect(url);
      await subscriber.client.subscribeAsync('once', { qos: 2 });
      const session = { clean: false, properties: { sessionExpiryInterval: 60 } };
      const raw = await clients.raw(port);
      await raw.handshake('publisher', session);
      const publish = {
        cmd: 'publish' as const,
        topic: 'once',
        payload: 'exactly',
        qos: 2 as const,
        messageId: 3,
        retain: false,
        dup: false,
      };
      raw.send(publish);
      await raw.expect('pubrec');
      const disconnected = nextDisconnectEvent(started, 'publisher');
      raw.destroy();
      await disconnected;

      const again = await clients.raw(port);
      await again.handshake('publisher', session);
      again.send({ ...publish, dup: true });
      await again.expect('pubrec');
      again.send({ cmd: 'pubrel', messageId: 3 });
      await again.expect('pubcomp');
      again.send({ ...publish, payload: 'next', messageId: 4 });
      await again.expect('pubrec');

      const received = await subscriber.inbox.take(2);
      expect(received.map((message) => message.payload)).toEqual(['exactly', 'next']);
    });
  });

  describe('wills', () => {
    it('publishes a retained will when the socket dies', async () => {
      const { url, broker: started } = await startBroker();
      const watcher = await clients.connect(url);
      await watcher.client.subscribeAsync('owl/printers/+/status', { qos: 1 });
      const device = await clients.connect(url, { ...persistent, will: offlineWill });

      device.client.stream.destroy();

      const received = await watcher.inbox.next();
      expect(received.payload).toBe('{"phase":"Offline"}');
      expect(received.packet.retain).toBe(false);
      expect(started.retainedMessage(offlineWill.topic)?.payload.toString()).toBe(
        '{"phase":"Offline"}',
      );
      const late = await clients.connect(url);
      await late.client.subscribeAsync('owl/printers/+/status', { qos: 1 });
      expect((await late.inbox.next()).packet.retain).toBe(true);
    });

    it('publishes no will on a normal disconnect', async () => {
      const { url, broker: started } = await startBroker();
      const watcher = await clients.connect(url);
      await watcher.client.subscribeAsync('owl/printers/+/status', { qos: 1 });
      const device = await clients.connect(url, { ...persistent, will: offlineWill });
      const disconnected = nextDisconnectEvent(started, 'device-1');

      await device.client.endAsync();
      await disconnected;
      const cloud = await clients.connect(url);
      await cloud.client.publishAsync('owl/printers/sentinel/status', 'sentinel', { qos: 1 });

      expect((await watcher.inbox.next()).payload).toBe('sentinel');
      expect(started.retainedMessage(offlineWill.topic)).toBeUndefined();
    });

    it('publishes will on disconnect reason 0x04', async () => {
      const { url, broker: started } = await startBroker();
      const device = await clients.connect(url, { ...persistent, will: offlineWill });
      const will = nextWill(started);

      await device.client.endAsync(false, { reasonCode: ReasonCode.disconnectWithWill });

      expect((await will).topic).toBe(offlineWill.topic);
    });

    it('cancels delayed will on reconnect', async () => {
      const clock = new FakeClock();
      const { url, broker: started } = await startBroker({ clock });
      const wills: PublishEvent[] = [];
      started.onPublish((event) => {
        if (event.origin === 'will') wills.push(event);
      });
      const delayed = { ...offlineWill, properties: { willDelayInterval: 5 } };
      const device = await clients.connect(url, { ...persistent, will: delayed });
      const disconnected = nextDisconnectEvent(started, 'device-1');
      device.client.stream.destroy();
      await disconnected;

      clock.advance(4_000);
      await clients.connect(url, { ...persistent, will: delayed });
      clock.advance(10_000);

      expect(wills).toEqual([]);
    });

    it('publishes delayed will after delay', async () => {
      const clock = new FakeClock();
      const { url, broker: started } = await startBroker({ clock });
      const delayed = { ...offlineWill, properties: { willDelayInterval: 5 } };
      const device = await clients.connect(url, { ...persistent, will: delayed });
      const disconnected = nextDisconnectEvent(started, 'device-1');
      device.client.stream.destroy();
      await disconnected;
      const will = nextWill(started);

      clock.advance(5_000);

      expect((await will).payload.toString()).toBe('{"phase":"Offline"}');
    });

    it('starts will expiry at publication', async () => {
      const clock = new FakeClock();
      const { url, broker: started } = await startBroker({ clock });
      const expiring = { ...offlineWill, properties: { messageExpiryInterval: 30 } };
      const device = await clients.connect(url, { ...persistent, will: expiring });
      clock.advance(20_000);
      const will = nextWill(started);

      device.client.stream.destroy();

      expect((await will).properties.messageExpiryInterval).toBe(30);
    });
  });

  describe('takeover', () => {
    it('closes old connection with 0x8E', async () => {
      const { url, broker: started } = await startBroker();
      const old = await clients.connect(url, persistent);
      await old.client.subscribeAsync('owl/printers/device-1/commands/#', { qos: 1 });
      const kicked = closedByBroker(old.client);

      const newer = await clients.connect(url, persistent);

      expect((await kicked).reasonCode).toBe(ReasonCode.sessionTakenOver);
      expect(newer.connack.sessionPresent).toBe(true);
      expect(started.connectedClientIds).toEqual(['device-1']);
      const cloud = await clients.connect(url);
      await cloud.client.publishAsync('owl/printers/device-1/commands/x', 'to newer', { qos: 1 });
      expect((await newer.inbox.next()).payload).toBe('to newer');
    });

    it('publishes will of taken-over connection', async () => {
      const { url, broker: started } = await startBroker();
      await clients.connect(url, { ...persistent, will: offlineWill });
      const will = nextWill(started);
      const reason = nextDisconnectEvent(started, 'device-1');

      await clients.connect(url, persistent);

      expect((await will).topic).toBe(offlineWill.topic);
      expect((await reason).reason).toBe('session-taken-over');
    });
  });

  describe('keepalive', () => {
    it('closes silent client after 1.5 keepalives', async () => {
      const clock = new FakeClock();
      const { port, broker: started } = await startBroker({ clock });
      const raw = await clients.raw(port);
      await raw.handshake('sleepy', { keepalive: 10, will: offlineWill });
      const will = nextWill(started);

      clock.advance(14_999);
      expect(raw.isClosed).toBe(false);
      clock.advance(1);

      const disconnect = (await raw.expect('disconnect')) as IDisconnectPacket;
      expect(disconnect.reasonCode).toBe(ReasonCode.keepAliveTimeout);
      expect((await will).topic).toBe(offlineWill.topic);
      await raw.closed;
    });

    it('restarts the keepalive deadline on PINGREQ', async () => {
      const clock = new FakeClock();
      const { port } = await startBroker({ clock });
      const raw = await clients.raw(port);
      await raw.handshake('pinger', { keepalive: 10 });

      clock.advance(10_000);
      raw.send({ cmd: 'pingreq' });
      await raw.expect('pingresp');
      clock.advance(10_000);

      expect(raw.isClosed).toBe(false);
      clock.advance(5_000);
      await raw.expect('disconnect');
    });

    it('closes socket without timely CONNECT', async () => {
      const clock = new FakeClock();
      const { port } = await startBroker({ clock, connectTimeoutMs: 1_000 });
      const raw = await clients.raw(port);

      clock.advance(1_000);

      await raw.closed;
      expect(raw.packets.items).toEqual([]);
    });

    it('answers pings of 1 s keepalive', async () => {
      const { url, broker: started } = await startBroker();
      const { client } = await clients.connect(url, { keepalive: 1 });

      await new Promise<void>((resolve) => {
        client.on('packetreceive', (packet) => {
          if (packet.cmd === 'pingresp') resolve();
        });
      });

      expect(client.connected).toBe(true);
      expect(started.connectedClientIds).toHaveLength(1);
    });
  });

  describe('close', () => {
    it('leaves no timers behind', async () => {
      const clock = new FakeClock();
      const { url, port, broker: started } = await startBroker({ clock });
      const delayed = { ...offlineWill, properties: { willDelayInterval: 30 } };
      const away = await clients.connect(url, { ...persistent, will: delayed });
      const disconnected = nextDisconnectEvent(started, 'device-1');
      away.client.stream.destroy();
      await disconnected;
      await clients.connect(url, { clientId: 'online', keepalive: 60 });
      await clients.raw(port);
      expect(clock.pendingTimers).toBeGreaterThan(0);

      await started.close();

      expect(clock.pendingTimers).toBe(0);
    });
  });
});
