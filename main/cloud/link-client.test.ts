import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TimerHandle } from '../support/clock.js';
import { silentLogger } from '../support/logger.js';
import { FakeClock } from '../../test/support/fake-clock.js';
import { CloudHttpServer } from '../local-cloud/cloud-http-server.js';
import { DeviceKey } from './device-key.js';
import { LinkClient, type LinkProgress } from './link-client.js';
import { globalFetch, type FetchLike } from './cloud-request.js';

/** A fake clock that lets each timer of a chosen delay elapse as soon as it is scheduled. */
class PollingClock extends FakeClock {
  readonly elapseAtOnce = new Set<number>();

  override setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const handle = super.setTimeout(callback, delayMs);
    if (this.elapseAtOnce.has(delayMs)) setImmediate(() => this.advance(delayMs));
    return handle;
  }
}

function stubFetch(status: number, body: unknown): FetchLike {
  return () => Promise.resolve({ status, text: () => Promise.resolve(JSON.stringify(body)) });
}

describe('LinkClient', () => {
  let clock: PollingClock;
  let serverClock: FakeClock;
  let server: CloudHttpServer;
  let client: LinkClient;

  beforeEach(async () => {
    clock = new PollingClock();
    clock.elapseAtOnce.add(5_000);
    serverClock = new FakeClock();
    server = new CloudHttpServer({ clock: serverClock });
    await server.start();
    client = new LinkClient({ baseUrl: `${server.url}/`, clock, logger: silentLogger });
  });

  afterEach(async () => {
    await server.close();
    expect(clock.pendingTimers).toBe(0);
  });

  describe('link', () => {
    it('returns credentials for an accepted code', async () => {
      const { code } = server.linkCodes.mint();

      const credentials = await client.link(`  ${code}\n`);

      expect(credentials.deviceId).toMatch(/^[0-9a-f-]{36}$/);
      expect(credentials.printerId).toMatch(/^[0-9a-f-]{36}$/);
      expect(credentials.tenantId).not.toBe('');
      expect(credentials.linkedAt).toBe('2026-01-01T12:00:00+00:00');
      const registered = server.registry.get(credentials.deviceId);
      const key = DeviceKey.fromBase64(credentials.devicePrivateKey);
      expect(registered?.publicKey).toBe(key.publicKeyBase64());
    });

    it('polls every 5 s until the code is accepted', async () => {
      const { code } = server.linkCodes.mint({ acceptAfterPolls: 2 });
      const progress: LinkProgress[] = [];

      const credentials = await client.link(code, { onProgress: (step) => progress.push(step) });

      expect(credentials.deviceId).not.toBe('');
      expect(progress).toEqual([
        { attempt: 1, elapsedMs: 0 },
        { attempt: 2, elapsedMs: 5_000 },
        { attempt: 3, elapsedMs: 10_000 },
      ]);
    });

    it('times out 120 s after the first request', async () => {
      const progress: LinkProgress[] = [];

      const failure = client.link('NEVER1', { onProgress: (step) => progress.push(step) });

      await expect(failure).rejects.toMatchObject({
        code: 'link_timeout',
        message:
          'Owl Cloud did not accept the link code within 120 s. The code may be mistyped, or it ' +
          'was not accepted in Owl Web yet. Compare it with the code under Printers, Add printer ' +
          'in Owl Web, accept the printer there, and link again with that code or a new one',
      });
      await expect(failure).rejects.not.toHaveProperty(
        'message',
        expect.stringContaining('NEVER1'),
      );
      expect(progress).toHaveLength(25);
      expect(progress.at(-1)).toEqual({ attempt: 25, elapsedMs: 120_000 });
      expect(clock.monotonic()).toBe(120_000);
    });

    it('explains a code that was already used', async () => {
      const { code } = server.linkCodes.mint();
      await client.link(code);

      const failure = client.link(code);

      await expect(failure).rejects.toMatchObject({
        code: 'link_rejected',
        message: expect.stringMatching(
          /^This link code was already used; create a new link code in Owl and try again \(HTTP 409: .*already used/,
        ) as unknown,
        details: { status: 409 },
      });
    });

    it('explains an expired code', async () => {
      const { code } = server.linkCodes.mint({ ttlSeconds: 60 });
      serverClock.advance(60_000);

      const failure = client.link(code);

      await expect(failure).rejects.toMatchObject({
        code: 'link_rejected',
        message: expect.stringMatching(
          /^This link code has expired; create a new link code in Owl and try again \(HTTP 410/,
        ) as unknown,
        details: { status: 410 },
      });
    });

    it('reports a 5xx status with the response text after the deadline', async () => {
      let requests = 0;
      const failing = new LinkClient({
        baseUrl: server.url,
        clock,
        logger: silentLogger,
        fetch: () => {
          requests += 1;
          return Promise.resolve({ status: 503, text: () => Promise.resolve(' maintenance \n') });
        },
      });

      const failure = failing.link('ABC123', { timeoutMs: 10_000 });

      await expect(failure).rejects.toMatchObject({
        code: 'link_rejected',
        message: 'Owl Cloud failed to process the link request (HTTP 503: maintenance)',
      });
      expect(requests).toBe(3);
      expect(clock.monotonic()).toBe(10_000);
    });

    it('retries a 5xx status until the code is accepted', async () => {
      const { code } = server.linkCodes.mint();
      let requests = 0;
      const flaky = new LinkClient({
        baseUrl: server.url,
        clock,
        logger: silentLogger,
        fetch: (url, init) => {
          requests += 1;
          if (requests === 1) return stubFetch(502, { error: 'bad gateway' })(url, init);
          return globalFetch(url, init);
        },
      });

      const credentials = await flaky.link(code);

      expect(credentials.deviceId).not.toBe('');
      expect(requests).toBe(2);
    });

    it('fails at once on a 4xx status other than 404', async () => {
      let requests = 0;
      const rejecting = new LinkClient({
        baseUrl: server.url,
        clock,
        logger: silentLogger,
        fetch: () => {
          requests += 1;
          return Promise.resolve({ status: 422, text: () => Promise.resolve('bad code') });
        },
      });

      const failure = rejecting.link('ABC123');

      await expect(failure).rejects.toMatchObject({
        code: 'link_rejected',
        message: 'Owl Cloud rejected the link request (HTTP 422: bad code)',
        details: { status: 422 },
      });
      expect(requests).toBe(1);
    });

    it('retries an unreachable cloud until the deadline', async () => {
      const baseUrl = server.url;
      await server.close();
      const offline = new LinkClient({ baseUrl, clock, logger: silentLogger });
      const progress: LinkProgress[] = [];

      const failure = offline.link('ABC123', {
        timeoutMs: 10_000,
        onProgress: (step) => progress.push(step),
      });

      await expect(failure).rejects.toMatchObject({
        code: 'cloud_unreachable',
        message: expect.stringContaining(`Cannot reach Owl Cloud at ${baseUrl} (`) as unknown,
        details: { baseUrl, timedOut: false },
      });
      expect(progress.map((step) => step.elapsedMs)).toEqual([0, 5_000, 10_000]);
    });

    it('gives up on a request after the request timeout', async () => {
      const hanging: FetchLike = (_url, init) =>
        new Promise((_resolve, reject) => {
          init.signal.addEventListener('abort', () => reject(new Error('aborted')));
        });
      const slow = new LinkClient({
        baseUrl: server.url,
        clock,
        logger: silentLogger,
        fetch: hanging,
        requestTimeoutMs: 30_000,
      });

      const failure = slow.link('ABC123', { timeoutMs: 30_000 });
      clock.advance(30_000);

      await expect(failure).rejects.toMatchObject({
        code: 'cloud_unreachable',
        message: `Cannot reach Owl Cloud at ${server.url} (no response within 30 s); check the cloud URL and the network connection`,
      });
    });

    it('rejects an empty code without a request', async () => {
      let requests = 0;
      const counting = new LinkClient({
        baseUrl: server.url,
        clock,
        logger: silentLogger,
        fetch: () => {
          requests += 1;
          return Promise.reject(new Error('unexpected request'));
        },
      });

      await expect(counting.link(' \t ')).rejects.toMatchObject({
        code: 'invalid_link_code',
        message:
          'Link code cannot be empty; copy the code shown in Owl under Printers, Add Printer',
      });
      expect(requests).toBe(0);
    });

    it('stops polling when cancelled', async () => {
      clock.elapseAtOnce.clear();
      const controller = new AbortController();
      const { code } = server.linkCodes.mint({ acceptAfterPolls: 100 });

      const failure = client.link(code, {
        signal: controller.signal,
        onProgress: ({ attempt }) => {
          if (attempt === 1) setImmediate(() => controller.abort());
        },
      });

      await expect(failure).rejects.toMatchObject({
        code: 'link_cancelled',
        message: 'Linking was cancelled',
      });
    });
  });

  describe('response validation', () => {
    const validKey = Buffer.alloc(32, 7).toString('base64');

    it('names a missing required field', async () => {
      const incomplete = new LinkClient({
        baseUrl: server.url,
        clock,
        logger: silentLogger,
        fetch: stubFetch(200, { deviceId: 'device-1', devicePrivateKey: validKey }),
      });

      await expect(incomplete.link('ABC123')).rejects.toMatchObject({
        code: 'invalid_response',
        message: 'Link response missing expected field: printerId',
      });
    });

    it('coerces numeric ids and defaults optional fields', async () => {
      const numeric = new LinkClient({
        baseUrl: server.url,
        clock,
        logger: silentLogger,
        fetch: stubFetch(200, { printerId: 2, deviceId: 3, devicePrivateKey: validKey }),
      });

      const credentials = await numeric.link('ABC123');

      expect(credentials).toEqual({
        printerId: '2',
        deviceId: '3',
        devicePrivateKey: validKey,
        tenantId: '',
        linkedAt: '',
      });
    });

    it('rejects a private key that is not a 32-byte seed', async () => {
      const shortKey = new LinkClient({
        baseUrl: server.url,
        clock,
        logger: silentLogger,
        fetch: stubFetch(200, {
          printerId: 'p',
          deviceId: 'd',
          devicePrivateKey: Buffer.alloc(16).toString('base64'),
        }),
      });

      await expect(shortKey.link('ABC123')).rejects.toMatchObject({
        code: 'invalid_response',
        message:
          'Link response has an invalid field: devicePrivateKey (expected base64 of a 32-byte Ed25519 seed)',
      });
    });

    it('rejects a body that is not JSON', async () => {
      const html = new LinkClient({
        baseUrl: server.url,
        clock,
        logger: silentLogger,
        fetch: () => Promise.resolve({ status: 200, text: () => Promise.resolve('<html>') }),
      });

      await expect(html.link('ABC123')).rejects.toMatchObject({
        code: 'invalid_response',
        message: 'Owl Cloud returned a link response that is not JSON',
      });
    });
  });

  describe('constructor', () => {
    it('rejects a base URL that is not http(s)', () => {
      const create = (): LinkClient =>
        new LinkClient({ baseUrl: 'owl.example.com', clock, logger: silentLogger });

      expect(create).toThrow(
        expect.objectContaining({
          code: 'invalid_base_url',
          message:
            'Cloud base URL "owl.example.com" is not an http(s) URL; set it to the Owl Cloud address, for example https://owl.example.com',
        }),
      );
    });
  });
});
