import { afterEach, describe, expect, it } from 'vitest';

import { FakeClock } from '../../test/support/fake-clock.js';
import { CodedError } from '../support/coded-error.js';
import { silentLogger } from '../support/logger.js';
import {
  fakeConnect,
  type FakeConnectBehaviour,
  type FakeMqttClient,
} from './__testing__/fake-mqtt-client.js';
import { FakeTokenSource, settle } from './__testing__/fake-token-source.js';
import type { ConnectedEvent, DisconnectedEvent } from './connection-events.js';
import type { ConnectionState } from './connection-state.js';
import { DeviceConnection, type DeviceConnectionOptions } from './device-connection.js';

interface Harness {
  connection: DeviceConnection;
  clock: FakeClock;
  tokens: FakeTokenSource;
  clients: FakeMqttClient[];
  attemptTimes: number[];
  connected: ConnectedEvent[];
  disconnected: DisconnectedEvent[];
  states: ConnectionState[];
}

const connections: DeviceConnection[] = [];

function createHarness(
  plan: FakeConnectBehaviour[],
  fallback: FakeConnectBehaviour = { kind: 'accept' },
  overrides: Partial<DeviceConnectionOptions> = {},
): Harness {
  const clock = new FakeClock();
  const tokens = new FakeTokenSource();
  const fake = fakeConnect(plan, fallback);
  const attemptTimes: number[] = [];
  const connection = new DeviceConnection({
    brokerUrl: 'mqtt://127.0.0.1:1883',
    deviceId: 'device-1',
    tokens,
    clock,
    logger: silentLogger,
    random: () => 1,
    willPayload: () => 'offline',
    mqttConnect: (url, options) => {
      attemptTimes.push(clock.monotonic());
      return fake.connect(url, options);
    },
    ...overrides,
  });
  connections.push(connection);
  const harness: Harness = {
    connection,
    clock,
    tokens,
    clients: fake.clients,
    attemptTimes,
    connected: [],
    disconnected: [],
    states: [],
  };
  connection.onConnected((event) => harness.connected.push(event));
  connection.onDisconnected((event) => harness.disconnected.push(event));
  connection.onStateChange((state) => harness.states.push(state));
  return harness;
}

async function connectedHarness(
  plan: FakeConnectBehaviour[] = [],
  fallback: FakeConnectBehaviour = { kind: 'accept' },
): Promise<Harness> {
  const harness = createHarness(plan, fallback);
  harness.connection.start();
  await settle();
  expect(harness.connection.state).toBe('connected');
  return harness;
}

function client(harness: Harness, index: number): FakeMqttClient {
  const found = harness.clients[index];
  if (!found) throw new Error(`no client ${index}; ${harness.clients.length} were created`);
  return found;
}

async function rejection(promise: Promise<unknown>): Promise<CodedError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CodedError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

afterEach(async () => {
  for (const connection of connections.splice(0)) connection.dispose();
  await settle();
});

describe('DeviceConnection', () => {
  describe('start', () => {
    it('connects and reports the first connect as unplanned', async () => {
      const harness = await connectedHarness([{ kind: 'accept', sessionPresent: true }]);

      expect(harness.states).toEqual(['connecting', 'connected']);
      expect(harness.connected).toEqual([{ planned: false, sessionPresent: true }]);
      expect(client(harness, 0).options.password).toBe('token-1');
    });

    it('rejects a second start', async () => {
      const harness = await connectedHarness();

      let thrown: unknown;
      try {
        harness.connection.start();
      } catch (error) {
        thrown = error;
      }

      expect((thrown as CodedError).code).toBe('already_started');
      expect((thrown as CodedError).message).toBe('Device connection is already connected');
    });

    it('retries on the backoff schedule and never gives up', async () => {
      const harness = createHarness([], { kind: 'unreachable' });
      harness.connection.start();
      await settle();
      const expectedGaps = [
        1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000, 30_000, 30_000, 900_000,
        900_000, 900_000,
      ];

      for (const gap of expectedGaps) {
        const before = harness.attemptTimes.length;
        await harness.clock.advanceAsync(gap - 1);
        await settle();
        expect(harness.attemptTimes.length).toBe(before);
        await harness.clock.advanceAsync(1);
        await settle();
        expect(harness.attemptTimes.length).toBe(before + 1);
      }

      const gaps = harness.attemptTimes
        .slice(1)
        .map((time, i) => time - (harness.attemptTimes[i] ?? 0));
      expect(gaps).toEqual(expectedGaps);
      expect(harness.connection.state).toBe('connecting');
      expect(harness.connection.statsSnapshot().connectAttemptsTotal).toBe(14);
    });

    it('treats a missing CONNACK as a failed attempt', async () => {
      const harness = createHarness([{ kind: 'silent' }], { kind: 'accept' });
      harness.connection.start();
      await settle();

      await harness.clock.advanceAsync(30_000);
      await settle();
      expect(harness.clients).toHaveLength(1);
      expect(client(harness, 0).ended).toBe(true);
      await harness.clock.advanceAsync(1_000);
      await settle();

      expect(harness.clients).toHaveLength(2);
      expect(harness.connection.state).toBe('connected');
    });

    it('delivers messages that arrive before CONNACK', async () => {
      const harness = createHarness([{ kind: 'silent' }]);
      const topics: string[] = [];
      harness.connection.onMessage((topic) => topics.push(topic));
      harness.connection.start();
      await settle();

      client(harness, 0).emit(
        'message',
        'owl/printers/device-1/commands/print:pause',
        Buffer.from('{}'),
        {},
      );

      expect(topics).toEqual(['owl/printers/device-1/commands/print:pause']);
    });
  });

  describe('auth failures', () => {
    it('refreshes the token and retries once within the attempt', async () => {
      const harness = createHarness([{ kind: 'refuse', reasonCode: 135 }, { kind: 'accept' }]);
      harness.connection.start();
      await settle();

      expect(harness.tokens.refreshCount).toBe(1);
      expect(harness.clients.map((fake) => fake.options.password)).toEqual(['token-1', 'token-2']);
      expect(harness.attemptTimes).toEqual([0, 0]);
      expect(harness.connection.state).toBe('connected');
      expect(harness.connection.statsSnapshot().lastConnectRc).toBe(0);
    });

    it.each([5, 134])('treats CONNACK %i as an auth failure', async (reasonCode) => {
      const harness = createHarness([{ kind: 'refuse', reasonCode }, { kind: 'accept' }]);
      harness.connection.start();
      await settle();

      expect(harness.tokens.refreshCount).toBe(1);
      expect(harness.connection.state).toBe('connected');
    });

    it('waits for the backoff when the refreshed token is refused too', async () => {
      const harness = createHarness(
        [
          { kind: 'refuse', reasonCode: 135 },
          { kind: 'refuse', reasonCode: 135 },
        ],
        { kind: 'accept' },
      );
      harness.connection.start();
      await settle();
      expect(harness.connection.state).toBe('connecting');
      expect(harness.connection.statsSnapshot().lastConnectRc).toBe(135);

      await harness.clock.advanceAsync(1_000);
      await settle();

      expect(harness.attemptTimes).toEqual([0, 0, 1_000]);
      expect(harness.connection.state).toBe('connected');
    });

    it('does not refresh for other CONNACK codes', async () => {
      const harness = createHarness([{ kind: 'refuse', reasonCode: 136 }], { kind: 'accept' });
      harness.connection.start();
      await settle();

      expect(harness.tokens.refreshCount).toBe(0);
      expect(harness.clients).toHaveLength(1);
    });
  });

  describe('requestReconnect', () => {
    it('reports a token renewal as planned and presents the new token', async () => {
      const harness = await connectedHarness();

      harness.tokens.renew();
      await settle();

      expect(harness.disconnected).toEqual([{ cause: 'token_renewed', reasonCode: 0 }]);
      expect(harness.connected[1]).toEqual({
        planned: true,
        sessionPresent: false,
        previousCause: 'token_renewed',
        previousReasonCode: 0,
      });
      expect(client(harness, 0).ended).toBe(true);
      expect(client(harness, 1).options.password).toBe('token-2');
    });

    it('counts a token renewal as a reconnect but not as a disconnect', async () => {
      const harness = await connectedHarness();

      harness.tokens.renew();
      await settle();

      const stats = harness.connection.statsSnapshot();
      expect(stats.reconnectsByCause.token_renewed).toBe(1);
      expect(stats.disconnectsTotal).toBe(0);
      expect(stats.recentDisconnects).toEqual([]);
    });

    it('refreshes the token before an auth_failure reconnect', async () => {
      const harness = await connectedHarness();

      harness.connection.requestReconnect('auth_failure');
      await settle();

      expect(harness.tokens.refreshCount).toBe(1);
      expect(client(harness, 1).options.password).toBe('token-2');
      expect(harness.connected[1]?.planned).toBe(false);
    });

    it('ignores requests while connecting', async () => {
      const harness = createHarness([], { kind: 'unreachable' });
      harness.connection.start();
      await settle();

      harness.connection.requestReconnect('token_renewed');
      await settle();

      expect(harness.clients).toHaveLength(1);
      expect(harness.disconnected).toEqual([]);
    });

    it('ignores requests while reconnecting', async () => {
      const harness = await connectedHarness([{ kind: 'accept' }], { kind: 'unreachable' });
      client(harness, 0).close();
      await settle();
      expect(harness.connection.state).toBe('reconnecting');

      harness.connection.requestReconnect('token_renewed');
      harness.connection.requestReconnect('auth_failure');
      await settle();

      expect(harness.clients).toHaveLength(2);
      expect(harness.disconnected).toHaveLength(1);
      expect(harness.tokens.refreshCount).toBe(0);
    });
  });

  describe('connection drops', () => {
    it('reconnects at once after the socket closes', async () => {
      const harness = await connectedHarness();

      client(harness, 0).close();
      await settle();

      expect(harness.disconnected).toEqual([{ cause: 'connection_lost', reasonCode: 0 }]);
      expect(harness.connected[1]).toEqual({
        planned: false,
        sessionPresent: false,
        previousCause: 'connection_lost',
        previousReasonCode: 0,
      });
      expect(harness.states).toEqual(['connecting', 'connected', 'reconnecting', 'connected']);
      expect(harness.attemptTimes).toEqual([0, 0]);
    });

    it('maps a DISCONNECT with code 135 to auth_failure and refreshes', async () => {
      const harness = await connectedHarness();

      client(harness, 0).disconnectFromBroker(135);
      await settle();

      expect(harness.disconnected).toEqual([{ cause: 'auth_failure', reasonCode: 135 }]);
      expect(harness.tokens.refreshCount).toBe(1);
      expect(harness.connected[1]?.previousReasonCode).toBe(135);
    });

    it('maps other DISCONNECT codes to broker_disconnect', async () => {
      const harness = await connectedHarness();

      client(harness, 0).disconnectFromBroker(142);
      await settle();

      expect(harness.disconnected).toEqual([{ cause: 'broker_disconnect', reasonCode: 142 }]);
      expect(harness.tokens.refreshCount).toBe(0);
    });

    it('counts unplanned disconnects by cause', async () => {
      const harness = await connectedHarness();

      client(harness, 0).close();
      await settle();
      client(harness, 1).disconnectFromBroker(142);
      await settle();

      const stats = harness.connection.statsSnapshot();
      expect(stats.disconnectsTotal).toBe(2);
      expect(stats.disconnectsByCause).toEqual({
        connection_lost: 1,
        auth_failure: 0,
        broker_disconnect: 1,
      });
      expect(stats.reconnectsTotal).toBe(2);
      expect(stats.recentDisconnects.map((record) => record.cause)).toEqual([
        'connection_lost',
        'broker_disconnect',
      ]);
    });

    it('forgets disconnects older than 60 s in recentDisconnects', async () => {
      const harness = await connectedHarness();
      client(harness, 0).close();
      await settle();

      await harness.clock.advanceAsync(60_001);

      expect(harness.connection.statsSnapshot().recentDisconnects).toEqual([]);
      expect(harness.connection.statsSnapshot().disconnectsTotal).toBe(1);
    });
  });

  describe('subscribe', () => {
    it('replays subscriptions on every new client', async () => {
      const harness = createHarness([]);
      harness.connection.subscribe('owl/printers/device-1/commands/#', 1);
      harness.connection.start();
      await settle();

      client(harness, 0).close();
      await settle();

      const expected = { 'owl/printers/device-1/commands/#': { qos: 1 } };
      expect(client(harness, 0).subscriptions).toEqual([expected]);
      expect(client(harness, 1).subscriptions).toEqual([expected]);
      expect(harness.connection.statsSnapshot().resubscribedTotal).toBe(2);
    });

    it('subscribes at once when connected', async () => {
      const harness = await connectedHarness();

      harness.connection.subscribe('owl/broadcasts/config-update', 1);

      expect(client(harness, 0).subscriptions).toEqual([
        { 'owl/broadcasts/config-update': { qos: 1 } },
      ]);
    });

    it('stops replaying a disposed subscription', async () => {
      const harness = await connectedHarness();
      const subscription = harness.connection.subscribe('owl/broadcasts/config-update', 1);

      subscription.dispose();
      client(harness, 0).close();
      await settle();

      expect(client(harness, 1).subscriptions).toEqual([]);
    });
  });

  describe('publish', () => {
    it('rejects with not_connected before connecting', async () => {
      const harness = createHarness([]);

      const error = await rejection(harness.connection.publish('t/1', 'x', { qos: 1 }));

      expect(error.code).toBe('not_connected');
      expect(error.message).toBe('Cannot publish to t/1: the MQTT connection is idle');
    });

    it('resolves when the broker acknowledged', async () => {
      const harness = await connectedHarness();
      let resolved = false;
      const published = harness.connection.publish('t/1', 'x', { qos: 1 }).then(() => {
        resolved = true;
      });
      await settle();
      expect(resolved).toBe(false);

      client(harness, 0).publishes[0]?.callback();
      await published;

      expect(resolved).toBe(true);
      expect(client(harness, 0).publishes[0]?.options).toEqual({ qos: 1, retain: false });
    });

    it('rejects with the PUBACK reason code', async () => {
      const harness = await connectedHarness();
      const published = harness.connection.publish('t/1', 'x', { qos: 1 });

      const failure = Object.assign(new Error('Publish error: Not authorized'), { code: 135 });
      client(harness, 0).publishes[0]?.callback(failure);
      const error = await rejection(published);

      expect(error.code).toBe('publish_failed');
      expect(error.message).toBe(
        'Broker rejected the publish to t/1: Publish error: Not authorized (reason code 135)',
      );
      expect(error.details['reasonCode']).toBe(135);
    });

    it('rejects when the connection closes before the acknowledgement', async () => {
      const harness = await connectedHarness([{ kind: 'accept' }], { kind: 'unreachable' });
      const published = harness.connection.publish('t/1', 'x', { qos: 1 });

      client(harness, 0).close();
      const error = await rejection(published);

      expect(error.code).toBe('publish_failed');
      expect(error.message).toBe(
        'Publish to t/1 failed: the connection closed before the broker acknowledged it',
      );
      expect(error.details['reason']).toBe('connection_closed');
    });
  });

  describe('stop', () => {
    it('publishes the final message retained before disconnecting', async () => {
      const harness = await connectedHarness();

      const stopped = harness.connection.stop({ finalMessage: 'graceful' });
      await settle();
      const final = client(harness, 0).publishes[0];
      expect(final?.topic).toBe('owl/printers/device-1/status');
      expect(final?.payload).toBe('graceful');
      expect(final?.options).toEqual({ qos: 1, retain: true });
      expect(client(harness, 0).ended).toBe(false);
      final?.callback();
      await stopped;

      expect(client(harness, 0).ended).toBe(true);
      expect(harness.states.slice(-2)).toEqual(['stopping', 'stopped']);
    });

    it('ends retries and leaves no timer behind', async () => {
      const harness = createHarness([], { kind: 'unreachable' });
      harness.connection.start();
      await settle();

      await harness.connection.stop();
      await harness.clock.advanceAsync(3_600_000);

      expect(harness.clients).toHaveLength(1);
      expect(harness.connection.state).toBe('stopped');
      expect(harness.clock.pendingTimers).toBe(0);
    });

    it('aborts a connect attempt that waits for CONNACK', async () => {
      const harness = createHarness([{ kind: 'silent' }]);
      harness.connection.start();
      await settle();

      await harness.connection.stop();

      expect(client(harness, 0).ended).toBe(true);
      expect(harness.connection.state).toBe('stopped');
      expect(harness.clock.pendingTimers).toBe(0);
    });

    it('stops listening for token renewals', async () => {
      const harness = await connectedHarness();

      await harness.connection.stop();

      expect(harness.tokens.listenerCount).toBe(0);
    });

    it('goes from idle straight to stopped', async () => {
      const harness = createHarness([]);

      await harness.connection.stop();

      expect(harness.states).toEqual(['stopped']);
      expect(harness.clients).toHaveLength(0);
    });
  });
});
