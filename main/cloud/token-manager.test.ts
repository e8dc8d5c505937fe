import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../test/support/fake-clock.js';
import { CloudHttpServer } from '../local-cloud/cloud-http-server.js';
import { OperatorClient } from '../local-cloud/operator-client.js';
import { createLogger, silentLogger, type Logger } from '../support/logger.js';
import { globalFetch, type FetchLike } from './cloud-request.js';
import { DeviceKey } from './device-key.js';
import { LinkClient } from './link-client.js';
import {
  TokenManager,
  type RenewalFailure,
  type TokenManagerOptions,
  type TokenRenewal,
} from './token-manager.js';

interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

interface Device {
  baseUrl: string;
  deviceId: string;
  key: DeviceKey;
}

function capturingLogger(): { logger: Logger; lines: () => LogLine[]; text: () => string } {
  const raw: string[] = [];
  const logger = createLogger({ level: 'trace', destination: { write: (line) => raw.push(line) } });
  return {
    logger,
    lines: () => raw.map((line) => JSON.parse(line) as LogLine),
    text: () => raw.join(''),
  };
}

/** Records the monotonic time of each request and passes it on to `inner`. */
function recordingFetch(clock: FakeClock, inner: FetchLike = globalFetch) {
  const requestTimes: number[] = [];
  const fetch: FetchLike = (url, init) => {
    requestTimes.push(clock.monotonic());
    return inner(url, init);
  };
  return { fetch, requestTimes };
}

function tokenBody(clock: FakeClock, expiresIn: number, accessToken = 'header.payload.signature') {
  return { accessToken, issuedAt: new Date(clock.now()).toISOString(), expiresIn };
}

interface ScriptedResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/**
 * A fetch that returns the scripted responses in order and repeats the last one. A script entry
 * that returns an Error makes the request fail as an unreachable server does.
 */
function scriptedFetch(responses: Array<() => ScriptedResponse | Error>): FetchLike {
  let index = 0;
  return () => {
    const next = responses[Math.min(index, responses.length - 1)];
    index += 1;
    const response = next?.() ?? { status: 500, body: 'no script' };
    if (response instanceof Error) return Promise.reject(response);
    const headers = response.headers ?? {};
    return Promise.resolve({
      status: response.status,
      headers: { get: (name: string) => headers[name.toLowerCase()] ?? null },
      text: () => Promise.resolve(JSON.stringify(response.body)),
    });
  };
}

function nextRenewal(manager: TokenManager): Promise<TokenRenewal> {
  return new Promise((resolve) => {
    const subscription = manager.onRenewed((renewal) => {
      subscription.dispose();
      resolve(renewal);
    });
  });
}

function nextFailure(manager: TokenManager): Promise<RenewalFailure> {
  return new Promise((resolve) => {
    const subscription = manager.onRenewalFailed((failure) => {
      subscription.dispose();
      resolve(failure);
    });
  });
}

describe('TokenManager', () => {
  const servers: CloudHttpServer[] = [];
  const managers: TokenManager[] = [];
  let clock = new FakeClock();

  afterEach(async () => {
    for (const manager of managers.splice(0)) manager.dispose();
    expect(clock.pendingTimers).toBe(0);
    await Promise.all(servers.splice(0).map((server) => server.close()));
    clock = new FakeClock();
  });

  async function linkedDevice(
    options: { lifetimeSeconds?: number; serverClock?: FakeClock } = {},
  ): Promise<Device & { server: CloudHttpServer }> {
    const server = new CloudHttpServer({
      clock: options.serverClock ?? clock,
      tokenLifetimeSeconds: options.lifetimeSeconds,
    });
    servers.push(server);
    const baseUrl = await server.start();
    const { code } = server.linkCodes.mint();
    const linker = new LinkClient({ baseUrl, clock, logger: silentLogger });
    const credentials = await linker.link(code);
    const key = DeviceKey.fromBase64(credentials.devicePrivateKey);
    return { server, baseUrl, deviceId: credentials.deviceId, key };
  }

  function createManager(device: Device, overrides: Partial<TokenManagerOptions> = {}) {
    const manager = new TokenManager({
      baseUrl: device.baseUrl,
      deviceId: device.deviceId,
      key: device.key,
      clock,
      logger: silentLogger,
      random: () => 1,
      ...overrides,
    });
    managers.push(manager);
    return manager;
  }

  const stubDevice: Device = {
    baseUrl: 'http://127.0.0.1:9',
    deviceId: 'device-1',
    key: DeviceKey.fromBase64(Buffer.alloc(32, 1).toString('base64')),
  };

  describe('current', () => {
    it('issues a token the local cloud verifies', async () => {
      const device = await linkedDevice();
      const manager = createManager(device);

      const token = await manager.current();

      const verified = await device.server.authority.verify(token);
      expect(verified?.deviceId).toBe(device.deviceId);
      expect(manager.secondsUntilExpiry()).toBe(3600);
    });

    it('reuses a token that is not close to expiry', async () => {
      const device = await linkedDevice();
      const { fetch, requestTimes } = recordingFetch(clock);
      const manager = createManager(device, { fetch });

      const first = await manager.current();
      clock.advance(3_479_000);
      const second = await manager.current();

      expect(second).toBe(first);
      expect(requestTimes).toHaveLength(1);
    });

    it('re-issues a token within 120 s of expiry', async () => {
      const device = await linkedDevice();
      const { fetch, requestTimes } = recordingFetch(clock);
      const manager = createManager(device, { fetch });

      const first = await manager.current();
      clock.advance(3_480_000);
      const second = await manager.current();

      expect(second).not.toBe(first);
      expect(requestTimes).toEqual([0, 3_480_000]);
    });

    it('rejects after dispose', async () => {
      const manager = createManager(stubDevice);
      manager.dispose();

      await expect(manager.current()).rejects.toMatchObject({
        code: 'token_manager_disposed',
        message: 'The token manager was disposed',
      });
    });
  });

  describe('refresh', () => {
    it('shares one request among concurrent callers', async () => {
      const device = await linkedDevice();
      const { fetch, requestTimes } = recordingFetch(clock);
      const manager = createManager(device, { fetch });

      const tokens = await Promise.all([manager.refresh(), manager.refresh(), manager.current()]);

      expect(requestTimes).toHaveLength(1);
      expect(new Set(tokens).size).toBe(1);
    });

    it('replaces a valid token', async () => {
      const device = await linkedDevice();
      const manager = createManager(device);
      const renewals: TokenRenewal[] = [];
      manager.onRenewed((renewal) => renewals.push(renewal));

      const first = await manager.current();
      const second = await manager.refresh();

      expect(second).not.toBe(first);
      expect(await manager.current()).toBe(second);
      expect(renewals).toEqual([]);
    });
  });

  describe('token request errors', () => {
    it('reports a rejected signature with a clock hint', async () => {
      const serverClock = new FakeClock(clock.now() + 400_000);
      const device = await linkedDevice({ serverClock });
      const manager = createManager(device);

      await expect(manager.current()).rejects.toMatchObject({
        code: 'token_rejected',
        message: `Owl Cloud rejected the token request of device ${device.deviceId} (HTTP 401): the signature or timestamp is invalid. Check that this computer's clock is correct (it reads 2026-01-01T12:00:00.000Z); if it is, re-link this printer`,
      });
    });

    it('reports a revoked device', async () => {
      const device = await linkedDevice();
      const operator = new OperatorClient({
        baseUrl: device.baseUrl,
        operatorToken: device.server.operatorToken,
      });
      await operator.revokeDevice(device.deviceId);
      const manager = createManager(device);

      await expect(manager.current()).rejects.toMatchObject({
        code: 'device_unknown',
        message: `Owl Cloud does not know device ${device.deviceId}, or its key was revoked (HTTP 404); re-link this printer`,
      });
    });

    it.each([
      [
        429,
        'rate_limited',
        'Owl Cloud is rate limiting token requests of device device-1 (HTTP 429); try again later',
      ],
      [502, 'token_failed', 'Token request of device device-1 failed (HTTP 502: "bad gateway")'],
      [
        503,
        'cloud_not_ready',
        'Owl Cloud is not ready to issue a token for device device-1 yet (HTTP 503: "bad gateway"); try again later',
      ],
    ])('maps HTTP %i to %s', async (status, code, message) => {
      const fetch = scriptedFetch([() => ({ status, body: 'bad gateway' })]);
      const manager = createManager(stubDevice, { fetch });

      await expect(manager.current()).rejects.toMatchObject({ code, message });
    });

    it.each([
      [
        { expiresIn: 59 },
        'Token response has a missing or invalid field: expiresIn (expected an integer from 60 to 604800 seconds)',
      ],
      [
        { expiresIn: 3600.5 },
        'Token response has a missing or invalid field: expiresIn (expected an integer from 60 to 604800 seconds)',
      ],
      [
        { expiresIn: 604_801 },
        'Token response has a missing or invalid field: expiresIn (expected an integer from 60 to 604800 seconds)',
      ],
      [{ accessToken: undefined }, 'Token response has a missing or invalid field: accessToken'],
      [{ issuedAt: 'yesterday' }, 'Token response has an invalid issuedAt: "yesterday"'],
    ])('rejects the response %o', async (change, message) => {
      const fetch = scriptedFetch([
        () => ({ status: 200, body: { ...tokenBody(clock, 3600), ...change } }),
      ]);
      const manager = createManager(stubDevice, { fetch });

      await expect(manager.current()).rejects.toMatchObject({ code: 'invalid_response', message });
    });
  });

  describe('renewal schedule', () => {
    it.each([
      [3600, 2940],
      [1800, 1410],
      [7200, 6000],
    ])('renews a %i s token after %i s', async (lifetimeSeconds, renewAfterSeconds) => {
      const device = await linkedDevice({ lifetimeSeconds });
      const { fetch, requestTimes } = recordingFetch(clock);
      const manager = createManager(device, { fetch });
      await manager.current();
      manager.start();

      clock.advance(renewAfterSeconds * 1000 - 1);
      expect(requestTimes).toHaveLength(1);
      const renewal = nextRenewal(manager);
      clock.advance(1);
      expect(requestTimes).toHaveLength(2);

      expect(await renewal).toMatchObject({ reason: 'scheduled', lifetimeSeconds });
      expect(requestTimes).toEqual([0, renewAfterSeconds * 1000]);
    });

    it('counts from the receipt of the response', async () => {
      const device = await linkedDevice();
      let slowResponses = 1;
      const slowFirst: FetchLike = async (url, init) => {
        const response = await globalFetch(url, init);
        if (slowResponses-- > 0) clock.advance(5_000);
        return response;
      };
      const { fetch, requestTimes } = recordingFetch(clock, slowFirst);
      const manager = createManager(device, { fetch });
      await manager.current();
      clock.advance(100_000);
      manager.start();

      clock.advance(5_000 + 2_940_000 - 105_000 - 1);
      expect(requestTimes).toHaveLength(1);
      const renewal = nextRenewal(manager);
      clock.advance(1);
      expect(requestTimes).toHaveLength(2);
      await renewal;

      expect(requestTimes).toEqual([0, 2_945_000]);
    });

    it('ignores wall-clock jumps', async () => {
      const device = await linkedDevice();
      const { fetch, requestTimes } = recordingFetch(clock);
      const manager = createManager(device, { fetch });
      await manager.current();
      manager.start();

      clock.jumpWallClock(-3 * 3600_000);
      clock.advance(2_939_999);
      expect(requestTimes).toHaveLength(1);
      const renewal = nextRenewal(manager);
      clock.advance(1);
      expect(requestTimes).toHaveLength(2);
      await renewal;

      expect(requestTimes).toEqual([0, 2_940_000]);
      expect(manager.secondsUntilExpiry()).toBe(3600);
    });

    it('issues the first token on start', async () => {
      const device = await linkedDevice();
      const { fetch, requestTimes } = recordingFetch(clock);
      const manager = createManager(device, { fetch });

      manager.start();
      const token = await manager.current();

      expect(requestTimes).toEqual([0]);
      expect(await device.server.authority.verify(token)).not.toBeNull();
    });

    it('leaves no timer after dispose', async () => {
      const device = await linkedDevice();
      const manager = createManager(device);
      await manager.current();
      manager.start();
      expect(clock.pendingTimers).toBe(1);

      manager.dispose();
      manager.dispose();

      expect(clock.pendingTimers).toBe(0);
    });

    it('aborts a request in flight on dispose', async () => {
      const hanging: FetchLike = (_url, init) =>
        new Promise((_resolve, reject) => {
          init.signal.addEventListener('abort', () => reject(new Error('aborted')));
        });
      const manager = createManager(stubDevice, { fetch: hanging });

      const pending = manager.current();
      manager.dispose();

      await expect(pending).rejects.toMatchObject({ code: 'token_manager_disposed' });
      expect(clock.pendingTimers).toBe(0);
    });
  });

  describe('clock skew', () => {
    it('warns when issuedAt is more than 60 s away', async () => {
      const serverClock = new FakeClock(clock.now() + 120_000);
      const device = await linkedDevice({ serverClock });
      const { logger, lines } = capturingLogger();
      const { fetch, requestTimes } = recordingFetch(clock);
      const manager = createManager(device, { logger, fetch });
      await manager.current();
      manager.start();

      const warnings = lines().filter((line) => line.level === 40);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({ skewSeconds: -120, deviceId: device.deviceId });

      const renewal = nextRenewal(manager);
      serverClock.advance(2_940_000);
      clock.advance(2_940_000);
      await renewal;
      expect(requestTimes).toEqual([0, 2_940_000]);
    });

    it('stays quiet within 60 s', async () => {
      const serverClock = new FakeClock(clock.now() - 60_000);
      const device = await linkedDevice({ serverClock });
      const { logger, lines } = capturingLogger();
      const manager = createManager(device, { logger });

      await manager.current();

      expect(lines().filter((line) => line.level >= 40)).toEqual([]);
    });
  });

  describe('renewal failures', () => {
    const ok = (lifetime: number) => () => ({ status: 200, body: tokenBody(clock, lifetime) });
    const unavailable = () => ({ status: 503, body: 'unavailable' });
    const unreachable = () => new TypeError('fetch failed');

    /** Fires the pending timer after `waitMs` and resolves with the failure it causes. */
    async function failAfter(manager: TokenManager, waitMs: number): Promise<RenewalFailure> {
      const failure = nextFailure(manager);
      clock.advance(waitMs);
      return failure;
    }

    it('backs off from 30 s to a 3600 s cap', async () => {
      const { logger, lines } = capturingLogger();
      const { fetch, requestTimes } = recordingFetch(
        clock,
        scriptedFetch([ok(604_800), unreachable]),
      );
      const manager = createManager(stubDevice, { fetch, logger });
      await manager.current();
      manager.start();

      const retries: number[] = [];
      let waitMs = 513_960_000;
      for (let attempt = 0; attempt < 9; attempt += 1) {
        const failure = await failAfter(manager, waitMs);
        expect(failure.failures).toBe(attempt + 1);
        retries.push(failure.retryInMs / 1000);
        waitMs = failure.retryInMs;
      }

      expect(retries).toEqual([30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
      expect(requestTimes).toHaveLength(10);
      expect(manager.renewalFailures).toBe(9);
      const failureLevels = lines()
        .filter((line) => line.msg.startsWith('device token request'))
        .map((line) => line.level);
      expect(failureLevels.slice(0, 4)).toEqual([50, 50, 60, 60]);
    });

    it('retries every 30 s near expiry and every 15 s after it', async () => {
      const fetch = scriptedFetch([ok(900), unavailable]);
      const manager = createManager(stubDevice, { fetch });
      await manager.current();
      manager.start();

      const retries: number[] = [];
      let waitMs = 645_000;
      for (let attempt = 0; attempt < 11; attempt += 1) {
        const failure = await failAfter(manager, waitMs);
        retries.push(failure.retryInMs / 1000);
        waitMs = failure.retryInMs;
      }

      expect(retries).toEqual([30, 30, 30, 30, 30, 30, 30, 30, 30, 15, 15]);
      expect(manager.secondsUntilExpiry()).toBe(-30);
    });

    it('jitters down but never below 15 s', async () => {
      const fetch = scriptedFetch([ok(60), unavailable, ok(86_400), unavailable]);
      const manager = createManager(stubDevice, { fetch, random: () => 0 });
      await manager.current();
      manager.start();

      const expired = await failAfter(manager, 60_000);
      expect(expired.retryInMs).toBe(15_000);

      const renewal = nextRenewal(manager);
      clock.advance(15_000);
      await renewal;
      const early = await failAfter(manager, 73_320_000);
      expect(early.retryInMs).toBe(24_000);
    });

    it('resumes the schedule after a successful retry', async () => {
      const { fetch, requestTimes } = recordingFetch(
        clock,
        scriptedFetch([ok(3600), unavailable, ok(3600)]),
      );
      const manager = createManager(stubDevice, { fetch });
      await manager.current();
      manager.start();

      await failAfter(manager, 2_940_000);
      const renewal = nextRenewal(manager);
      clock.advance(30_000);

      expect(await renewal).toMatchObject({ reason: 'retry', lifetimeSeconds: 3600 });
      expect(manager.renewalFailures).toBe(0);
      clock.advance(2_940_000);
      expect(requestTimes).toEqual([0, 2_940_000, 2_970_000, 5_910_000]);
    });

    it('retries a failed first token on start', async () => {
      const { fetch, requestTimes } = recordingFetch(clock, scriptedFetch([unavailable, ok(3600)]));
      const manager = createManager(stubDevice, { fetch });

      const renewals: TokenRenewal[] = [];
      manager.onRenewed((renewal) => renewals.push(renewal));
      const failure = nextFailure(manager);
      manager.start();
      expect((await failure).retryInMs).toBe(30_000);
      clock.advance(30_000);

      expect(await manager.current()).toBe('header.payload.signature');
      expect(requestTimes).toEqual([0, 30_000]);
      expect(manager.renewalFailures).toBe(0);
      expect(renewals).toEqual([]);
    });
  });

  describe('Retry-After', () => {
    const ok = () => ({ status: 200, body: tokenBody(clock, 3600) });
    const notReady = (seconds: number) => () => ({
      status: 503,
      headers: { 'retry-after': String(seconds) },
      body: { error: 'provisioning_timeout' },
    });

    it('delays the retry to the requested time', async () => {
      const { fetch, requestTimes } = recordingFetch(clock, scriptedFetch([ok, notReady(120), ok]));
      const manager = createManager(stubDevice, { fetch });
      await manager.current();
      manager.start();

      const failure = nextFailure(manager);
      clock.advance(2_940_000);
      // The 30 s retry of the schedule gives way to 120 s, plus 20 % jitter with random 1.
      expect((await failure).retryInMs).toBe(144_000);
      clock.advance(143_999);
      expect(requestTimes).toHaveLength(2);
      const renewal = nextRenewal(manager);
      clock.advance(1);

      expect(await renewal).toMatchObject({ reason: 'retry' });
      expect(requestTimes).toEqual([0, 2_940_000, 3_084_000]);
    });

    it('keeps a longer scheduled retry', async () => {
      const fetch = scriptedFetch([ok, notReady(5)]);
      const manager = createManager(stubDevice, { fetch });
      await manager.current();
      manager.start();

      const failure = nextFailure(manager);
      clock.advance(2_940_000);

      expect((await failure).retryInMs).toBe(30_000);
    });

    it('logs a failed renewal in one warning', async () => {
      const { logger, lines } = capturingLogger();
      const fetch = scriptedFetch([ok, notReady(5)]);
      const manager = createManager(stubDevice, { fetch, logger });
      await manager.current();
      manager.start();

      const failure = nextFailure(manager);
      clock.advance(2_940_000);
      await failure;

      const warnings = lines().filter((line) => line.level >= 40);
      expect(warnings.map((line) => line.msg)).toEqual([
        'Owl Cloud is not ready for this device yet (HTTP 503); retrying in 30 s',
      ]);
      expect(warnings[0]).toMatchObject({ status: 503, deviceId: 'device-1' });
    });

    it('leaves a failure without a token to the connection', async () => {
      const { logger, lines } = capturingLogger();
      const fetch = scriptedFetch([notReady(5)]);
      const manager = createManager(stubDevice, { fetch, logger });

      const failure = nextFailure(manager);
      manager.start();
      await failure;

      expect(lines().filter((line) => line.level >= 40)).toEqual([]);
      expect(manager.renewalFailures).toBe(1);
    });
  });

  describe('onIssued', () => {
    it('announces a first token from a retry', async () => {
      const fetch = scriptedFetch([
        () => ({ status: 503, body: 'unavailable' }),
        () => ({ status: 200, body: tokenBody(clock, 3600) }),
      ]);
      const manager = createManager(stubDevice, { fetch });
      let announced = 0;
      manager.onIssued(() => (announced += 1));
      const failure = nextFailure(manager);
      manager.start();
      await failure;
      expect(announced).toBe(0);

      clock.advance(30_000);
      await manager.current();

      expect(announced).toBe(1);
    });

    it('announces every renewal', async () => {
      const device = await linkedDevice();
      const manager = createManager(device);
      let announced = 0;
      manager.onIssued(() => (announced += 1));
      await manager.current();
      manager.start();

      const renewal = nextRenewal(manager);
      clock.advance(2_940_000);
      await renewal;

      expect(announced).toBe(2);
    });
  });

  describe('logging', () => {
    it('never logs a token', async () => {
      const device = await linkedDevice();
      const { logger, text } = capturingLogger();
      const manager = createManager(device, { logger });
      const first = await manager.current();
      manager.start();
      const renewal = nextRenewal(manager);
      clock.advance(2_940_000);
      const second = (await renewal).accessToken;

      expect(text()).toContain('device token issued');
      expect(text()).not.toContain(first);
      expect(text()).not.toContain(second);
    });
  });
});
