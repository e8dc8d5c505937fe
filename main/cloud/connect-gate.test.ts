import { afterEach, describe, expect, it } from 'vitest';

import { FakeClock } from '../../test/support/fake-clock.js';
import { CodedError } from '../support/coded-error.js';
import { silentLogger } from '../support/logger.js';
import { fakeConnect, type FakeConnectBehaviour } from './__testing__/fake-mqtt-client.js';
import { FakeTokenSource, settle } from './__testing__/fake-token-source.js';
import type { ConnectFailure } from './connect-failure.js';
import type { ConnectGate } from './connect-loop.js';
import { DeviceConnection } from './device-connection.js';

/** A gate that holds every caller until the test opens it once per caller. */
class ManualGate {
  readonly signals: AbortSignal[] = [];
  private readonly waiting: (() => void)[] = [];

  readonly gate: ConnectGate = (signal) => {
    this.signals.push(signal);
    return new Promise((resolve) => this.waiting.push(resolve));
  };

  get calls(): number {
    return this.signals.length;
  }

  openOnce(): void {
    this.waiting.shift()?.();
  }
}

const connections: DeviceConnection[] = [];

function createConnection(
  plan: FakeConnectBehaviour[],
  connectGate: ConnectGate | undefined,
  tokens = new FakeTokenSource(),
) {
  const clock = new FakeClock();
  const fake = fakeConnect(plan, { kind: 'accept' });
  const connection = new DeviceConnection({
    brokerUrl: 'mqtt://127.0.0.1:1883',
    deviceId: 'device-1',
    tokens,
    clock,
    logger: silentLogger,
    random: () => 1,
    willPayload: () => 'offline',
    mqttConnect: fake.connect,
    ...(connectGate ? { connectGate } : {}),
  });
  connections.push(connection);
  return { connection, clock, clients: fake.clients };
}

afterEach(async () => {
  for (const connection of connections.splice(0)) connection.dispose();
  await settle();
});

describe('DeviceConnection connectGate', () => {
  it('waits for the gate before the first attempt', async () => {
    const gate = new ManualGate();
    const { connection, clients } = createConnection([], gate.gate);

    connection.start();
    await settle();
    expect(gate.calls).toBe(1);
    expect(clients).toHaveLength(0);

    gate.openOnce();
    await settle();
    expect(clients).toHaveLength(1);
    expect(connection.state).toBe('connected');
  });

  it('passes the gate again before every retry', async () => {
    const gate = new ManualGate();
    const plan: FakeConnectBehaviour[] = [{ kind: 'unreachable' }, { kind: 'unreachable' }];
    const { connection, clock, clients } = createConnection(plan, gate.gate);

    connection.start();
    gate.openOnce();
    await settle();
    expect(clients).toHaveLength(1);

    await clock.advanceAsync(1_000);
    expect(gate.calls).toBe(2);
    expect(clients).toHaveLength(1);
    gate.openOnce();
    await settle();
    expect(clients).toHaveLength(2);

    await clock.advanceAsync(2_000);
    gate.openOnce();
    await settle();
    expect(clients).toHaveLength(3);
    expect(connection.state).toBe('connected');
  });

  it('gates the reconnect after a dropped connection', async () => {
    const gate = new ManualGate();
    const { connection, clients } = createConnection([], gate.gate);
    connection.start();
    gate.openOnce();
    await settle();

    clients[0]?.close();
    await settle();
    expect(connection.state).toBe('reconnecting');
    expect(gate.calls).toBe(2);
    expect(clients).toHaveLength(1);

    gate.openOnce();
    await settle();
    expect(connection.state).toBe('connected');
  });

  it('gives up waiting when stopped, without an attempt', async () => {
    const gate = new ManualGate();
    const { connection, clients } = createConnection([], gate.gate);
    connection.start();
    await settle();

    await connection.stop();

    expect(gate.signals[0]?.aborted).toBe(true);
    expect(clients).toHaveLength(0);
    expect(connection.state).toBe('stopped');
  });

  it('connects anyway when the gate rejects', async () => {
    const failing: ConnectGate = () => Promise.reject(new Error('budget closed'));
    const { connection, clients } = createConnection([], failing);

    connection.start();
    await settle();

    expect(clients).toHaveLength(1);
    expect(connection.state).toBe('connected');
  });
});

describe('DeviceConnection lastConnectFailure', () => {
  it('reports a refusing CONNACK with its reason code', async () => {
    const { connection } = createConnection([{ kind: 'refuse', reasonCode: 136 }], undefined);
    const failures: ConnectFailure[] = [];
    connection.onConnectFailed((failure) => failures.push(failure));

    connection.start();
    await settle();

    expect(connection.lastConnectFailure?.code).toBe('connect_refused');
    expect(connection.lastConnectFailure?.reasonCode).toBe(136);
    expect(failures).toHaveLength(1);
  });

  it('reports a token error that kept the attempt from starting', async () => {
    const tokens = new FakeTokenSource();
    const unknown = new CodedError('device_unknown', 'Owl Cloud does not know device device-1');
    tokens.current = () => Promise.reject(unknown);
    const { connection } = createConnection([], undefined, tokens);

    connection.start();
    await settle();

    expect(connection.lastConnectFailure?.code).toBe('device_unknown');
    expect(connection.lastConnectFailure?.message).toBe('Owl Cloud does not know device device-1');
    expect(connection.lastConnectFailure?.reasonCode).toBeUndefined();
  });

  it('clears the failure once connected', async () => {
    const { connection, clock } = createConnection([{ kind: 'unreachable' }], undefined);
    connection.start();
    await settle();
    expect(connection.lastConnectFailure?.code).toBe('connect_failed');

    await clock.advanceAsync(1_000);

    expect(connection.state).toBe('connected');
    expect(connection.lastConnectFailure).toBeUndefined();
  });
});
