import { afterEach, describe, expect, it } from 'vitest';

import { FakeClock } from '../../test/support/fake-clock.js';
import { CloudHttpServer } from '../local-cloud/cloud-http-server.js';
import { silentLogger } from '../support/logger.js';
import { fakeConnect } from './__testing__/fake-mqtt-client.js';
import { settle } from './__testing__/fake-token-source.js';
import { TokenEndpoint, type EndpointHandler } from './__testing__/token-endpoint.js';
import { globalFetch, type FetchLike } from './cloud-request.js';
import type { ConnectFailure } from './connect-failure.js';
import { DeviceConnection } from './device-connection.js';
import { DeviceKey } from './device-key.js';
import { LinkClient } from './link-client.js';
import { TokenManager } from './token-manager.js';

const OUTAGE_MS = 10 * 60_000;
/** Every delay in these tests is a multiple of this with `random` at 0, so no timer is skipped. */
const STEP_MS = 500;

/**
 * A fetch that reads each response body before it resolves and counts the exchanges under way,
 * so a test can wait for real HTTP traffic before it moves the fake clock on.
 */
class TrackedFetch {
  private inFlight = 0;
  private idle: (() => void)[] = [];

  readonly fetch: FetchLike = async (url, init) => {
    this.inFlight += 1;
    try {
      const response = await globalFetch(url, init);
      const text = await response.text();
      return {
        status: response.status,
        headers: response.headers,
        text: () => Promise.resolve(text),
      };
    } finally {
      this.inFlight -= 1;
      if (this.inFlight === 0) for (const resolve of this.idle.splice(0)) resolve();
    }
  };

  /** Resolves once no exchange is under way and the code awaiting them has run. */
  async untilIdle(): Promise<void> {
    for (;;) {
      await settle();
      if (this.inFlight === 0) return;
      await new Promise<void>((resolve) => this.idle.push(resolve));
    }
  }
}

interface Device {
  baseUrl: string;
  deviceId: string;
  key: DeviceKey;
}

interface Rig {
  clock: FakeClock;
  connection: DeviceConnection;
  failures: ConnectFailure[];
  /** Monotonic times of the connect attempts whose token request failed. */
  failureTimes: number[];
  connectedAt: () => number | undefined;
  /** Moves the fake clock in steps until `done` holds, and fails past `limitMs`. */
  runUntil: (done: () => boolean, limitMs: number) => Promise<void>;
}

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startEndpoint(handler: EndpointHandler): Promise<TokenEndpoint> {
  const endpoint = await TokenEndpoint.start(handler);
  cleanups.push(() => endpoint.close());
  return endpoint;
}

const stubKey = DeviceKey.fromBase64(Buffer.alloc(32, 1).toString('base64'));

function tokenBody(clock: FakeClock) {
  return {
    accessToken: 'header.payload.signature',
    issuedAt: new Date(clock.now()).toISOString(),
    expiresIn: 3600,
  };
}

/** Starts a connection and its token manager in the order the bridge starts them. */
function startDevice(clock: FakeClock, device: Device): Rig {
  const tracked = new TrackedFetch();
  const tokens = new TokenManager({
    ...device,
    clock,
    logger: silentLogger,
    fetch: tracked.fetch,
    random: () => 0,
  });
  const connection = new DeviceConnection({
    brokerUrl: 'mqtt://broker.test:1883',
    deviceId: device.deviceId,
    tokens,
    clock,
    logger: silentLogger,
    random: () => 0,
    willPayload: () => 'offline',
    mqttConnect: fakeConnect([], { kind: 'accept' }).connect,
  });
  cleanups.push(async () => {
    const stopped = connection.stop();
    await clock.advanceAsync(10_000);
    await stopped;
    tokens.dispose();
  });

  const failures: ConnectFailure[] = [];
  const failureTimes: number[] = [];
  let connectedAt: number | undefined;
  connection.onConnectFailed((failure) => {
    failures.push(failure);
    failureTimes.push(clock.monotonic());
  });
  connection.onConnected(() => (connectedAt ??= clock.monotonic()));
  connection.start();
  tokens.start();

  const runUntil = async (done: () => boolean, limitMs: number): Promise<void> => {
    await tracked.untilIdle();
    while (!done()) {
      if (clock.monotonic() >= limitMs) throw new Error(`not done after ${limitMs} ms`);
      await clock.advanceAsync(STEP_MS);
      await tracked.untilIdle();
    }
  };
  return { clock, connection, failures, failureTimes, connectedAt: () => connectedAt, runUntil };
}

function gapsOf(times: readonly number[]): number[] {
  return times.slice(1).map((time, index) => time - (times[index] ?? 0));
}

describe('token outage', () => {
  it('connects within seconds of a 503 ending', { timeout: 30_000 }, async () => {
    const clock = new FakeClock();
    const endpoint = await startEndpoint(() =>
      clock.monotonic() < OUTAGE_MS
        ? { status: 503, headers: { 'retry-after': '5' }, body: { error: 'provisioning_failed' } }
        : { status: 200, body: tokenBody(clock) },
    );
    const rig = startDevice(clock, {
      baseUrl: endpoint.baseUrl,
      deviceId: 'device-1',
      key: stubKey,
    });

    await rig.runUntil(() => rig.connection.state === 'connected', OUTAGE_MS + 60_000);

    const connectedAt = rig.connectedAt() ?? Number.NaN;
    expect(connectedAt).toBeGreaterThanOrEqual(OUTAGE_MS);
    expect(connectedAt).toBeLessThanOrEqual(OUTAGE_MS + 6_000);
    expect(new Set(rig.failures.map((failure) => failure.code))).toEqual(
      new Set(['cloud_not_ready']),
    );
    expect(rig.failures.length).toBeGreaterThanOrEqual(100);
  });

  it('waits the Retry-After delay between attempts', { timeout: 30_000 }, async () => {
    const clock = new FakeClock();
    const endpoint = await startEndpoint(() => ({
      status: 503,
      headers: { 'retry-after': '20' },
      body: { error: 'provisioning_timeout' },
    }));
    const rig = startDevice(clock, {
      baseUrl: endpoint.baseUrl,
      deviceId: 'device-1',
      key: stubKey,
    });

    await rig.runUntil(() => rig.failureTimes.length >= 6, 300_000);

    const gaps = gapsOf(rig.failureTimes);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(20_000);
    expect(rig.connection.lastConnectFailure?.code).toBe('cloud_not_ready');
  });

  it('backs off after a 401', { timeout: 30_000 }, async () => {
    const clock = new FakeClock();
    const endpoint = await startEndpoint(() => ({
      status: 401,
      body: { error: 'invalid_signature' },
    }));
    const rig = startDevice(clock, {
      baseUrl: endpoint.baseUrl,
      deviceId: 'device-1',
      key: stubKey,
    });

    await rig.runUntil(() => rig.failureTimes.length >= 12, 1_200_000);

    expect(rig.connection.state).toBe('connecting');
    expect(rig.connection.lastConnectFailure).toMatchObject({
      code: 'token_rejected',
      message: expect.stringMatching(/\(HTTP 401\).*; if it is, re-link this printer$/) as unknown,
    });
    // The doubling waits, halved by the jitter at random 0, then the 900 s wait halved.
    expect(gapsOf(rig.failureTimes)).toEqual([
      500, 1_000, 2_000, 4_000, 8_000, 15_000, 15_000, 15_000, 15_000, 15_000, 450_000,
    ]);
  });

  it('connects once the manager gets a token', { timeout: 30_000 }, async () => {
    const clock = new FakeClock();
    const recoversAtMs = 1_500_000;
    let issuedAt: number | undefined;
    const endpoint = await startEndpoint(() => {
      if (clock.monotonic() < recoversAtMs) return 'drop';
      issuedAt ??= clock.monotonic();
      return { status: 200, body: tokenBody(clock) };
    });
    const rig = startDevice(clock, {
      baseUrl: endpoint.baseUrl,
      deviceId: 'device-1',
      key: stubKey,
    });

    await rig.runUntil(() => rig.connection.state === 'connected', 3_000_000);

    expect(rig.failures.at(-1)?.code).toBe('cloud_unreachable');
    const lastFailureAt = rig.failureTimes.at(-1) ?? Number.NaN;
    expect(issuedAt).toBeGreaterThan(lastFailureAt);
    expect(issuedAt).toBeLessThan(lastFailureAt + 450_000);
    expect(rig.connectedAt()).toBe(issuedAt);
  });

  it('connects after local cloud provisioning', { timeout: 30_000 }, async () => {
    const clock = new FakeClock();
    const server = new CloudHttpServer({ clock });
    cleanups.push(() => server.close());
    const baseUrl = await server.start();
    server.authority.addProvisioner(() =>
      clock.monotonic() < OUTAGE_MS
        ? Promise.reject(new Error('mosquitto did not confirm the client'))
        : Promise.resolve(),
    );
    const linker = new LinkClient({ baseUrl, clock, logger: silentLogger });
    const credentials = await linker.link(server.linkCodes.mint().code);
    const key = DeviceKey.fromBase64(credentials.devicePrivateKey);
    const rig = startDevice(clock, { baseUrl, deviceId: credentials.deviceId, key });

    await rig.runUntil(() => rig.connection.state === 'connected', OUTAGE_MS + 60_000);

    expect(rig.failures[0]?.message).toMatch(
      /^Owl Cloud is not ready to issue a token for device .* \(HTTP 503: .*provisioning_failed.*\); retry after 5 s$/,
    );
    expect(rig.connectedAt()).toBeLessThanOrEqual(OUTAGE_MS + 6_000);
  });
});
