import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';

import { isoSeconds } from '../../../shared/contract/time.js';
import { closedLoopbackPort } from '../../bridge/__testing__/closed-port.js';
import { FakeClock } from '../../../test/support/fake-clock.js';
import type { PrinterBridge } from '../../bridge/printer-bridge.js';
import { fakeConnect } from '../../cloud/__testing__/fake-mqtt-client.js';
import type { FetchLike } from '../../cloud/cloud-request.js';
import { createPrinterBridge } from './fleet-bridge.js';
import { FleetRuntime } from './fleet-runtime.js';

const HOUR_MS = 60 * 60_000;
/** Repeats of one line that a rolling minute may hold, as the Moonraker client limits them. */
const MAX_REPEATS_PER_MINUTE = 3;
/**
 * The lines that are not repeats, in any order: the printer's start, and the planned reconnect
 * of the token renewal 49 minutes into the hour.
 */
const LIFECYCLE_MESSAGES = [
  'Connecting to Moonraker',
  'Bridge started',
  'Printer added',
  'device token issued',
  'mqtt connected',
  'device token issued',
  'mqtt disconnected, reconnecting',
  'mqtt connected',
];

interface LogLine {
  level: number;
  msg: string;
  fakeTime: number;
}

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Creates a pino logger that keeps every line with the fake clock's time of writing. */
function fakeTimeLogger(clock: FakeClock) {
  const lines: LogLine[] = [];
  const logger = pino(
    { level: 'debug', timestamp: () => `,"fakeTime":${clock.monotonic()}` },
    { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) },
  );
  return { logger, lines };
}

/** Returns a token endpoint that responds at once with a fresh one-hour token. */
function tokenEndpoint(clock: FakeClock): FetchLike {
  let issued = 0;
  return () => {
    issued += 1;
    const body = {
      accessToken: `jwt-${issued}`,
      issuedAt: isoSeconds(clock.now()),
      expiresIn: 3600,
    };
    return Promise.resolve({ status: 200, text: () => Promise.resolve(JSON.stringify(body)) });
  };
}

/** Resolves once the bridge's Moonraker client waits for its next attempt. */
function untilBackoff(bridge: PrinterBridge): Promise<void> {
  if (bridge.snapshot().moonraker.state === 'backoff') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no Moonraker backoff within 5 s')), 5_000);
    const subscription = bridge.onChange(() => {
      if (bridge.snapshot().moonraker.state !== 'backoff') return;
      clearTimeout(timer);
      subscription.dispose();
      resolve();
    });
  });
}

function busiestMinute(lines: readonly LogLine[]): number {
  return Math.max(
    0,
    ...lines.map(
      (line) =>
        lines.filter(
          (other) => other.fakeTime >= line.fakeTime && other.fakeTime < line.fakeTime + 60_000,
        ).length,
    ),
  );
}

describe('a switched-off printer', () => {
  it('logs a few lines a minute over an hour', { timeout: 60_000 }, async () => {
    const clock = new FakeClock();
    const { logger, lines } = fakeTimeLogger(clock);
    const dataDir = await mkdtemp(join(tmpdir(), 'owl-switched-off-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const bridges: PrinterBridge[] = [];
    const runtime = new FleetRuntime({
      cloud: { baseUrl: 'http://cloud.test', brokerUrl: 'mqtt://broker.test:1883' },
      dataDir,
      version: '0.1.0-test',
      clock,
      logger,
      random: () => 0.5,
      bridgeSeams: {
        fetch: tokenEndpoint(clock),
        mqttConnect: fakeConnect([], { kind: 'accept' }).connect,
      },
      createBridge: (options) => {
        const bridge = createPrinterBridge(options) as PrinterBridge;
        bridges.push(bridge);
        return bridge;
      },
    });
    cleanups.push(async () => {
      const stopped = runtime.stop(10_000);
      await clock.advanceAsync(20_000);
      await stopped;
    });
    const port = await closedLoopbackPort();
    const devicePrivateKey = randomBytes(32).toString('base64');

    runtime.add({
      id: 'id-off',
      name: 'switched-off',
      moonrakerUrl: `http://127.0.0.1:${port}`,
      enabled: true,
      credentials: { deviceId: 'device-off', printerId: 'printer-off', devicePrivateKey },
    });
    const bridge = bridges[0];
    if (!bridge) throw new Error('no bridge was created');
    while (clock.monotonic() < HOUR_MS) {
      await untilBackoff(bridge);
      await clock.advanceAsync((bridge.snapshot().moonraker.retryInMs ?? 0) + 1);
    }

    const summary = runtime.summary('id-off');
    expect(summary.overall).toBe('offline');
    expect(summary.health.find((link) => link.link === 'cloud')?.level).toBe('ok');
    const attempts = lines.filter((line) => line.msg.startsWith('Moonraker connection failed'));
    expect(attempts.length).toBeGreaterThan(0);
    const shown = lines.filter((line) => line.level >= 30);
    expect(shown.filter((line) => line.level >= 50)).toEqual([]);
    for (const message of new Set(shown.map((line) => line.msg))) {
      const repeats = shown.filter((line) => line.msg === message);
      expect(busiestMinute(repeats), message).toBeLessThanOrEqual(MAX_REPEATS_PER_MINUTE);
    }
    const lifecycle = shown.filter((line) => !line.msg.startsWith('Moonraker connection failed'));
    expect(lifecycle.map((line) => line.msg).sort()).toEqual([...LIFECYCLE_MESSAGES].sort());
    expect(attempts.length).toBeLessThanOrEqual(MAX_REPEATS_PER_MINUTE * 61);
    const suppressed = attempts.map((line) => Number((line as { suppressed?: number }).suppressed));
    expect(suppressed.some((count) => count > 0)).toBe(true);
  });
});
