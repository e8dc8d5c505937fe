import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';

import { isoSeconds } from '../../shared/contract/time.js';
import { FakeClock } from '../../test/support/fake-clock.js';
import { fakeConnect, type FakeMqttClient } from '../cloud/__testing__/fake-mqtt-client.js';
import { settle } from '../cloud/__testing__/fake-token-source.js';
import type { FetchLike } from '../cloud/cloud-request.js';
import type { CodedError } from '../support/coded-error.js';
import { silentLogger, type Logger } from '../support/logger.js';
import { closedLoopbackPort } from './__testing__/closed-port.js';
import type { BridgeFault } from './bridge-events.js';
import { PrinterBridge } from './printer-bridge.js';

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tokenEndpoint(clock: FakeClock): FetchLike {
  return () => {
    const body = { accessToken: 'jwt', issuedAt: isoSeconds(clock.now()), expiresIn: 3600 };
    return Promise.resolve({ status: 200, text: () => Promise.resolve(JSON.stringify(body)) });
  };
}

async function createBridge(options: {
  clock: FakeClock;
  logger?: Logger;
  connectGate?: (signal: AbortSignal) => Promise<void>;
}) {
  const dataDir = await mkdtemp(join(tmpdir(), 'owl-bridge-'));
  const fake = fakeConnect([], { kind: 'accept' });
  const bridge = new PrinterBridge({
    name: 'voron',
    moonraker: { url: `http://127.0.0.1:${await closedLoopbackPort()}` },
    cloud: { baseUrl: 'http://cloud.test', brokerUrl: 'mqtt://broker.test:1883' },
    credentials: {
      deviceId: 'device-1',
      printerId: 'printer-1',
      devicePrivateKey: randomBytes(32).toString('base64'),
    },
    dataDir,
    version: '0.1.0-test',
    clock: options.clock,
    logger: options.logger ?? silentLogger,
    fetch: tokenEndpoint(options.clock),
    mqttConnect: fake.connect,
    ...(options.connectGate ? { connectGate: options.connectGate } : {}),
  });
  cleanups.push(async () => {
    const stopped = bridge.stop();
    await options.clock.advanceAsync(20_000);
    await stopped;
    await rm(dataDir, { recursive: true, force: true });
  });
  return { bridge, clients: fake.clients as FakeMqttClient[] };
}

describe('PrinterBridge', () => {
  describe('snapshot', () => {
    it('reads Offline when Moonraker never answered', async () => {
      const clock = new FakeClock();
      const { bridge } = await createBridge({ clock });
      const offline = new Promise<void>((resolve) => {
        bridge.onChange(() => {
          if (bridge.snapshot().moonraker.state === 'backoff') resolve();
        });
      });

      expect(bridge.snapshot().printer).toBeUndefined();
      await bridge.start();
      await offline;

      const printer = bridge.snapshot().printer;
      expect(printer?.phase).toBe('Offline');
      expect(printer?.reason).toMatch(/^Moonraker unreachable/);
      expect(bridge.snapshot().temperatures).toBeUndefined();
    });
  });

  describe('start', () => {
    it('waits for the connect gate before connecting', async () => {
      const clock = new FakeClock();
      let open: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => (open = resolve));
      const { bridge, clients } = await createBridge({ clock, connectGate: () => gate });

      await bridge.start();
      await settle();
      expect(clients).toHaveLength(0);
      expect(bridge.snapshot().mqtt.state).toBe('connecting');

      open();
      await settle();
      expect(clients).toHaveLength(1);
      expect(bridge.snapshot().mqtt.state).toBe('connected');
    });
  });

  describe('setTelemetryRate', () => {
    it('rejects a rate before the bridge runs', async () => {
      const { bridge } = await createBridge({ clock: new FakeClock() });

      let thrown: unknown;
      try {
        bridge.setTelemetryRate({ mode: 'watch' });
      } catch (error) {
        thrown = error;
      }

      expect((thrown as CodedError).code).toBe('bridge_not_running');
      expect((thrown as CodedError).message).toBe(
        'Cannot set the telemetry rate of voron: its bridge is idle',
      );
    });

    it('shows an applied watch window in the snapshot', async () => {
      const clock = new FakeClock();
      const { bridge } = await createBridge({ clock });
      await bridge.start();

      bridge.setTelemetryRate({ mode: 'watch', intervalSeconds: 1, durationSeconds: 60 });

      expect(bridge.snapshot().telemetry).toEqual({
        mode: 'watch',
        intervalSeconds: 1,
        expiresAt: clock.now() + 60_000,
      });
    });
  });

  describe('faults', () => {
    it('marks itself failed when one of its timers throws', async () => {
      const clock = new FakeClock();
      const logger = pino(
        {
          hooks: {
            logMethod(args, method) {
              if ((args[0] as { reason?: unknown }).reason === 'expired') {
                throw new Error('log sink failed');
              }
              method.apply(this, args);
            },
          },
        },
        { write: () => undefined },
      );
      const { bridge } = await createBridge({ clock, logger });
      const faults: BridgeFault[] = [];
      bridge.onFault((fault) => faults.push(fault));
      await bridge.start();
      bridge.setTelemetryRate({ mode: 'watch', intervalSeconds: 1, durationSeconds: 5 });

      await clock.advanceAsync(5_000);

      expect(faults.map((fault) => fault.source)).toEqual(['timer']);
      expect((faults[0]?.error as Error).message).toBe('log sink failed');
      expect(bridge.state).toBe('failed');
    });
  });
});
