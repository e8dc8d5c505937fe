import { connect as connectSocket } from 'node:net';

import type { MqttClient } from 'mqtt';
import mqttPacket from 'mqtt-packet';
import type { IConnackPacket, IDisconnectPacket, ISubackPacket, Packet } from 'mqtt-packet';
import { afterEach, describe, expect, it } from 'vitest';

import { TestClients } from '../../../test/support/mqtt-test-clients.js';
import {
  type ConnectRequest,
  EmbeddedBroker,
  type EmbeddedBrokerOptions,
} from './embedded-broker.js';
import { ReasonCode } from './reason-codes.js';

interface TestPrincipal {
  readonly name: string;
}

const clients = new TestClients();
let broker: EmbeddedBroker<TestPrincipal> | undefined;

/** Accepts password "secret", rejects user "banned" as not authorized and the rest as bad credentials. */
function testAuthenticator(request: ConnectRequest) {
  if (request.username === 'banned') {
    return { ok: false as const, reasonCode: ReasonCode.notAuthorized };
  }
  if (request.password !== 'secret') {
    return { ok: false as const, reasonCode: ReasonCode.badUserNameOrPassword };
  }
  return { ok: true as const, principal: { name: request.username ?? '' } };
}

async function startBroker(
  options: Partial<EmbeddedBrokerOptions<TestPrincipal>> = {},
): Promise<{ url: string; port: number; broker: EmbeddedBroker<TestPrincipal> }> {
  broker = new EmbeddedBroker<TestPrincipal>({ authenticate: testAuthenticator, ...options });
  const address = await broker.listen();
  return { ...address, broker };
}

const login = { username: 'alice', password: 'secret' };
const rawLogin = { username: 'alice', password: Buffer.from('secret') };

afterEach(async () => {
  await clients.closeAll();
  await broker?.close();
  broker = undefined;
});

function nextDisconnect(client: MqttClient): Promise<IDisconnectPacket> {
  return new Promise((resolve) => client.once('disconnect', resolve));
}

function connectionRefused(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connectSocket(port, '127.0.0.1', () => {
      socket.destroy();
      reject(new Error('connection was accepted'));
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? ''));
  });
}

describe('EmbeddedBroker', () => {
  describe('listen', () => {
    it('listens on a free loopback port', async () => {
      const { url, port } = await startBroker();

      expect(port).toBeGreaterThan(0);
      expect(url).toBe(`mqtt://127.0.0.1:${port}`);
    });

    it('rejects a second listen', async () => {
      const { broker: started } = await startBroker();

      await expect(started.listen()).rejects.toMatchObject({
        code: 'invalid_broker_state',
        message: 'The broker cannot move from listening to listening',
      });
    });
  });

  describe('options', () => {
    it('rejects a negative packet size limit', () => {
      const create = () => new EmbeddedBroker({ maximumPacketSize: -1 });

      expect(create).toThrow(expect.objectContaining({ code: 'invalid_broker_options' }));
      expect(create).toThrow(/maximumPacketSize/);
    });
  });

  describe('authentication', () => {
    it('accepts valid credentials over MQTT 5', async () => {
      const { url } = await startBroker();

      const { connack } = await clients.connect(url, login);

      expect(connack.reasonCode).toBe(0);
      expect(connack.sessionPresent).toBe(false);
    });

    it('passes credentials to the authenticator', async () => {
      const requests: ConnectRequest[] = [];
      const { url } = await startBroker({
        authenticate: (request) => {
          requests.push(request);
          return testAuthenticator(request);
        },
      });

      await clients.connect(url, { ...login, clientId: 'device-1' });

      expect(requests).toHaveLength(1);
      expect(requests[0]).toMatchObject({
        clientId: 'device-1',
        username: 'alice',
        password: 'secret',
        protocolVersion: 5,
        remoteAddress: '127.0.0.1',
      });
    });

    it('rejects wrong password with 134', async () => {
      const { url } = await startBroker();

      const error = await clients.connectRejected(url, { username: 'alice', password: 'wrong' });

      expect(error.code).toBe(134);
      expect(error.message).toBe('Connection refused: Bad User Name or Password');
    });

    it('rejects banned user with 135', async () => {
      const { url } = await startBroker();

      const error = await clients.connectRejected(url, { username: 'banned', password: 'secret' });

      expect(error.code).toBe(135);
      expect(error.message).toBe('Connection refused: Not authorized');
    });

    it('rejects with 4 and 5 over MQTT 3.1.1', async () => {
      const { url } = await startBroker();

      const wrong = await clients.connectRejected(url, {
        protocolVersion: 4,
        username: 'alice',
        password: 'wrong',
      });
      const banned = await clients.connectRejected(url, {
        protocolVersion: 4,
        username: 'banned',
        password: 'secret',
      });

      expect(wrong.code).toBe(4);
      expect(wrong.message).toBe('Connection refused: Bad username or password');
      expect(banned.code).toBe(5);
      expect(banned.message).toBe('Connection refused: Not authorized');
    });

    it('rejects as unavailable when authenticator throws', async () => {
      const { url } = await startBroker({
        authenticate: () => Promise.reject(new Error('token service down')),
      });

      const v5 = await clients.connectRejected(url, login);
      const v4 = await clients.connectRejected(url, { ...login, protocolVersion: 4 });

      expect(v5.code).toBe(ReasonCode.serverUnavailable);
      expect(v4.code).toBe(3);
    });

    it('assigns missing MQTT 5 client id', async () => {
      const { port } = await startBroker();
      const raw = await clients.raw(port);

      const connack = await raw.handshake('', rawLogin);

      expect(connack.reasonCode).toBe(0);
      expect(connack.properties?.assignedClientIdentifier).toMatch(/^auto-/);
    });

    it('rejects empty MQTT 3.1.1 persistent client id', async () => {
      const { port } = await startBroker();
      const raw = await clients.raw(port, 4);
      const connect = mqttPacket.generate(
        { cmd: 'connect', protocolVersion: 4, clientId: '', clean: true, keepalive: 0 },
        { protocolVersion: 4 },
      );
      // mqtt-packet will not encode this CONNECT, so the clean-session flag is cleared by hand.
      connect[9] = (connect[9] ?? 0) & ~0x02;

      raw.writeBytes(connect);

      const connack = (await raw.expect('connack')) as IConnackPacket;
      expect(connack.returnCode).toBe(2);
      await raw.closed;
    });

    it('closes socket not starting with CONNECT', async () => {
      const { port } = await startBroker();
      const raw = await clients.raw(port);

      raw.send({ cmd: 'pingreq' });

      await raw.closed;
      expect(raw.packets.items).toEqual([]);
    });

    it('announces its limits in the MQTT 5 CONNACK', async () => {
      const { url } = await startBroker({ maximumPacketSize: 4096 });

      const { connack } = await clients.connect(url, login);

      expect(connack.properties).toMatchObject({
        maximumPacketSize: 4096,
        retainAvailable: true,
        sharedSubscriptionAvailable: false,
        subscriptionIdentifiersAvailable: false,
        wildcardSubscriptionAvailable: true,
      });
    });
  });

  describe('authorization', () => {
    const ownTopicsOnly = {
      authorizePublish: (principal: TestPrincipal, topic: string) =>
        topic.startsWith(`users/${principal.name}/`),
      authorizeSubscribe: (principal: TestPrincipal, filter: string) =>
        filter.startsWith(`users/${principal.name}/`),
    };

    it('rejects QoS 1 publish with PUBACK 135', async () => {
      const { url } = await startBroker(ownTopicsOnly);
      const { client } = await clients.connect(url, login);

      const error = await client.publishAsync('users/bob/x', 'hi', { qos: 1 }).catch((e) => e);

      expect(error.code).toBe(135);
      expect(error.message).toBe('Publish error: Not authorized');
    });

    it('rejects QoS 2 publish with PUBREC 135', async () => {
      const { url } = await startBroker(ownTopicsOnly);
      const { client } = await clients.connect(url, login);

      const error = await client.publishAsync('users/bob/x', 'hi', { qos: 2 }).catch((e) => e);

      expect(error.code).toBe(135);
    });

    it('drops rejected QoS 0 publish silently', async () => {
      const { url, broker: started } = await startBroker(ownTopicsOnly);
      const topics: string[] = [];
      started.onPublish((event) => topics.push(event.topic));
      const { client } = await clients.connect(url, login);

      await client.publishAsync('users/bob/x', 'dropped', { qos: 0 });
      await client.publishAsync('users/alice/x', 'kept', { qos: 1 });

      expect(topics).toEqual(['users/alice/x']);
      expect(client.connected).toBe(true);
    });

    it('does not route rejected publish', async () => {
      const { url } = await startBroker({ ...ownTopicsOnly, authorizeSubscribe: () => true });
      const watcher = await clients.connect(url, { ...login, username: 'bob' });
      await watcher.client.subscribeAsync('users/#', { qos: 1 });
      const { client } = await clients.connect(url, login);

      await client.publishAsync('users/bob/x', 'refused', { qos: 1 }).catch(() => undefined);
      await client.publishAsync('users/alice/x', 'sentinel', { qos: 1 });

      const first = await watcher.inbox.next();
      expect(first.payload).toBe('sentinel');
    });

    it('completes rejected MQTT 3.1.1 publish unrouted', async () => {
      const { url, broker: started } = await startBroker(ownTopicsOnly);
      const topics: string[] = [];
      started.onPublish((event) => topics.push(event.topic));
      const { client } = await clients.connect(url, { ...login, protocolVersion: 4 });

      await client.publishAsync('users/bob/x', 'refused', { qos: 1 });

      expect(topics).toEqual([]);
    });

    it('rejects subscription with SUBACK 135', async () => {
      const { url } = await startBroker(ownTopicsOnly);
      const { client } = await clients.connect(url, login);
      const subacks: Packet[] = [];
      client.on('packetreceive', (packet) => {
        if (packet.cmd === 'suback') subacks.push(packet);
      });

      const error = await client
        .subscribeAsync(['users/alice/#', 'users/bob/#'], { qos: 1 })
        .catch((e) => e);

      expect(error.message).toBe('Subscribe error: Not authorized');
      expect((subacks[0] as ISubackPacket).granted).toEqual([1, 135]);
    });

    it('rejects MQTT 3.1.1 subscription with 0x80', async () => {
      const { url } = await startBroker(ownTopicsOnly);
      const { client } = await clients.connect(url, { ...login, protocolVersion: 4 });
      const subacks: ISubackPacket[] = [];
      client.on('packetreceive', (packet) => {
        if (packet.cmd === 'suback') subacks.push(packet);
      });

      const error = await client
        .subscribeAsync(['users/alice/#', 'users/bob/#'], { qos: 2 })
        .catch((e) => e);

      expect(error.message).toBe('Subscribe error: Unspecified error');
      expect(subacks[0]?.granted).toEqual([2, 0x80]);
    });

    it('rejects invalid and shared filters', async () => {
      const { port } = await startBroker();
      const raw = await clients.raw(port);
      await raw.handshake('filters', rawLogin);

      raw.send({
        cmd: 'subscribe',
        messageId: 1,
        subscriptions: [
          { topic: 'a/#/b', qos: 0 },
          { topic: '$share/group/a', qos: 0 },
        ],
      });

      const suback = (await raw.expect('suback')) as ISubackPacket;
      expect(suback.granted).toEqual([
        ReasonCode.topicFilterInvalid,
        ReasonCode.sharedSubscriptionsNotSupported,
      ]);
    });

    it('rejects unauthorized will topic', async () => {
      const { url } = await startBroker(ownTopicsOnly);

      const error = await clients.connectRejected(url, {
        ...login,
        will: { topic: 'users/bob/status', payload: Buffer.from('gone'), qos: 1, retain: true },
      });

      expect(error.code).toBe(135);
    });

    it('rejects when an authorizer throws', async () => {
      const { url } = await startBroker({
        authorizePublish: () => {
          throw new Error('policy store down');
        },
      });
      const { client } = await clients.connect(url, login);

      const error = await client.publishAsync('a', 'x', { qos: 1 }).catch((e) => e);

      expect(error.code).toBe(135);
    });
  });

  describe('packet size limit', () => {
    it('disconnects oversize MQTT 5 packet with 0x95', async () => {
      const { port } = await startBroker({ maximumPacketSize: 1024 });
      const raw = await clients.raw(port);
      await raw.handshake('big', rawLogin);

      raw.send({
        cmd: 'publish',
        topic: 'a',
        payload: Buffer.alloc(2048),
        qos: 0,
        retain: false,
        dup: false,
      });

      const disconnect = (await raw.expect('disconnect')) as IDisconnectPacket;
      expect(disconnect.reasonCode).toBe(ReasonCode.packetTooLarge);
      await raw.closed;
    });

    it('closes oversize MQTT 3.1.1 client', async () => {
      const { port } = await startBroker({ maximumPacketSize: 1024 });
      const raw = await clients.raw(port, 4);
      await raw.handshake('big', rawLogin);

      raw.send({
        cmd: 'publish',
        topic: 'a',
        payload: Buffer.alloc(2048),
        qos: 0,
        retain: false,
        dup: false,
      });

      await raw.closed;
      expect(raw.packets.items.map((packet) => packet.cmd)).toEqual(['connack']);
    });

    it('accepts a packet at the limit', async () => {
      const { url, broker: started } = await startBroker({ maximumPacketSize: 1024 });
      const sizes: number[] = [];
      started.onPublish((event) => sizes.push(event.payload.length));
      const { client } = await clients.connect(url, login);

      await client.publishAsync('a', Buffer.alloc(900), { qos: 1 });

      expect(sizes).toEqual([900]);
    });
  });

  describe('close', () => {
    it('sends 0x8B and leaves no sockets', async () => {
      const { url, port, broker: started } = await startBroker();
      const v5 = await clients.connect(url, login);
      await clients.connect(url, { ...login, protocolVersion: 4 });
      const pending = await clients.raw(port);
      const disconnect = nextDisconnect(v5.client);

      await started.close();

      expect((await disconnect).reasonCode).toBe(ReasonCode.serverShuttingDown);
      expect(started.openConnectionCount).toBe(0);
      expect(started.connectedClientIds).toEqual([]);
      await pending.closed;
      expect(await connectionRefused(port)).toBe('ECONNREFUSED');
    });

    it('publishes no will on shutdown', async () => {
      const { url, broker: started } = await startBroker();
      const topics: string[] = [];
      started.onPublish((event) => topics.push(event.topic));
      await clients.connect(url, {
        ...login,
        will: { topic: 'wills/alice', payload: Buffer.from('gone'), qos: 1, retain: true },
      });

      await started.close();

      expect(topics).toEqual([]);
      expect(started.retainedMessage('wills/alice')).toBeUndefined();
    });

    it('resolves a second close at once', async () => {
      const { broker: started } = await startBroker();

      await started.close();
      await started.close();

      expect(started.openConnectionCount).toBe(0);
    });
  });

  describe('outage helpers', () => {
    it('pauses and resumes accepting on one port', async () => {
      const { url, port, broker: started } = await startBroker();

      started.stopAccepting();
      expect(await connectionRefused(port)).toBe('ECONNREFUSED');
      await started.resumeAccepting();
      const { connack } = await clients.connect(url, login);

      expect(connack.reasonCode).toBe(0);
    });

    it('keeps connected clients while stopped', async () => {
      const { url, broker: started } = await startBroker();
      const { client } = await clients.connect(url, login);

      started.stopAccepting();
      await client.publishAsync('a', 'still here', { qos: 1 });

      expect(client.connected).toBe(true);
    });

    it('drops every client and sends the given reason code', async () => {
      const { url, broker: started } = await startBroker();
      const first = await clients.connect(url, { ...login, clientId: 'one' });
      await clients.connect(url, { ...login, clientId: 'two', protocolVersion: 4 });
      const disconnect = nextDisconnect(first.client);
      const closed = new Promise<void>((resolve) => first.client.once('close', () => resolve()));

      started.disconnectAll({ reasonCode: ReasonCode.administrativeAction });

      expect((await disconnect).reasonCode).toBe(ReasonCode.administrativeAction);
      await closed;
      expect(started.connectedClientIds).toEqual([]);
    });

    it('reports connects and disconnects', async () => {
      const { url, broker: started } = await startBroker();
      const events: string[] = [];
      started.onClientConnected((event) => events.push(`connected ${event.clientId}`));
      const disconnected = new Promise<string>((resolve) =>
        started.onClientDisconnected((event) => resolve(`${event.clientId} ${event.reason}`)),
      );
      const { client } = await clients.connect(url, { ...login, clientId: 'c1' });

      await client.endAsync();

      expect(events).toEqual(['connected c1']);
      expect(await disconnected).toBe('c1 client-disconnect');
    });
  });

  describe('protocol errors', () => {
    it('disconnects client sending topic alias', async () => {
      const { port } = await startBroker();
      const raw = await clients.raw(port);
      await raw.handshake('alias', rawLogin);

      raw.send({
        cmd: 'publish',
        topic: 'a',
        payload: 'x',
        qos: 0,
        retain: false,
        dup: false,
        properties: { topicAlias: 1 },
      });

      const disconnect = (await raw.expect('disconnect')) as IDisconnectPacket;
      expect(disconnect.reasonCode).toBe(ReasonCode.topicAliasInvalid);
    });

    it('disconnects a client that sends a second CONNECT', async () => {
      const { port } = await startBroker();
      const raw = await clients.raw(port);
      await raw.handshake('twice', rawLogin);

      raw.send({ cmd: 'connect', protocolVersion: 5, clientId: 'twice', ...rawLogin });

      const disconnect = (await raw.expect('disconnect')) as IDisconnectPacket;
      expect(disconnect.reasonCode).toBe(ReasonCode.protocolError);
      await raw.closed;
    });

    it('answers an unknown protocol level with return code 1', async () => {
      const { port } = await startBroker();
      const raw = await clients.raw(port, 4);
      const connect = Buffer.from([
        0x10, 0x0d, 0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x07, 0x02, 0x00, 0x00, 0x00, 0x01, 0x61,
      ]);

      raw.writeBytes(connect);

      const connack = (await raw.expect('connack')) as IConnackPacket;
      expect(connack.returnCode).toBe(1);
      await raw.closed;
    });
  });
});
