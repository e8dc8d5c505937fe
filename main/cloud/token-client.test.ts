import { afterEach, describe, expect, it } from 'vitest';

import { FakeClock } from '../../test/support/fake-clock.js';
import { CodedError } from '../support/coded-error.js';
import { TokenEndpoint, type EndpointResponse } from './__testing__/token-endpoint.js';
import { DeviceKey } from './device-key.js';
import { TokenClient } from './token-client.js';

const DEVICE_ID = 'device-1';
const key = DeviceKey.fromBase64(Buffer.alloc(32, 1).toString('base64'));
const endpoints: TokenEndpoint[] = [];

afterEach(async () => {
  await Promise.all(endpoints.splice(0).map((endpoint) => endpoint.close()));
});

/** Requests one token from a loopback server that always sends `response`. */
async function requestWith(response: EndpointResponse, clock = new FakeClock()) {
  const endpoint = await TokenEndpoint.start(() => response);
  endpoints.push(endpoint);
  const client = new TokenClient({ baseUrl: endpoint.baseUrl, deviceId: DEVICE_ID, key, clock });
  return client.requestToken();
}

async function failureOf(response: EndpointResponse, clock?: FakeClock): Promise<CodedError> {
  const error: unknown = await requestWith(response, clock).then(
    () => new Error('the token request succeeded'),
    (rejection: unknown) => rejection,
  );
  if (!(error instanceof CodedError)) throw error;
  return error;
}

const notReady = { error: 'provisioning_timeout', message: 'broker login not stored yet' };

describe('TokenClient', () => {
  describe('requestToken', () => {
    it('returns a token from a 200 response', async () => {
      const clock = new FakeClock();
      const body = {
        accessToken: 'header.payload.signature',
        issuedAt: new Date(clock.now()).toISOString(),
        expiresIn: 3600,
      };

      const token = await requestWith({ status: 200, body }, clock);

      expect(token.accessToken).toBe('header.payload.signature');
      expect(token.lifetimeSeconds).toBe(3600);
    });

    it('reads Retry-After seconds on HTTP 503', async () => {
      const error = await failureOf({
        status: 503,
        headers: { 'retry-after': '5' },
        body: notReady,
      });

      expect(error.code).toBe('cloud_not_ready');
      expect(error.message).toBe(
        'Owl Cloud is not ready to issue a token for device device-1 yet (HTTP 503: {"error":"provisioning_timeout","message":"broker login not stored yet"}); retry after 5 s',
      );
      expect(error.details['retryAfterMs']).toBe(5_000);
      expect(error.details['status']).toBe(503);
    });

    it('measures a Retry-After date from the Date header', async () => {
      const clock = new FakeClock();
      // The server's clock runs an hour behind, so by the local clock the date has passed.
      const serverNow = clock.now() - 3_600_000;
      const error = await failureOf(
        {
          status: 503,
          headers: {
            date: new Date(serverNow).toUTCString(),
            'retry-after': new Date(serverNow + 42_000).toUTCString(),
          },
          body: notReady,
        },
        clock,
      );

      expect(error.code).toBe('cloud_not_ready');
      expect(error.details['retryAfterMs']).toBe(42_000);
    });

    it('caps Retry-After at five minutes', async () => {
      const error = await failureOf({
        status: 503,
        headers: { 'retry-after': '86400' },
        body: notReady,
      });

      expect(error.details['retryAfterMs']).toBe(300_000);
      expect(error.message).toMatch(/; retry after 300 s$/);
    });

    it('reads Retry-After on HTTP 429', async () => {
      const error = await failureOf({
        status: 429,
        headers: { 'retry-after': '12' },
        body: 'slow down',
      });

      expect(error.code).toBe('rate_limited');
      expect(error.message).toBe(
        'Owl Cloud is rate limiting token requests of device device-1 (HTTP 429); retry after 12 s',
      );
      expect(error.details['retryAfterMs']).toBe(12_000);
    });

    it('reports a 503 without Retry-After', async () => {
      const error = await failureOf({ status: 503, body: notReady });

      expect(error.code).toBe('cloud_not_ready');
      expect(error.message).toMatch(/\(HTTP 503: .*\); try again later$/);
      expect(error.details).not.toHaveProperty('retryAfterMs');
    });

    it('ignores an invalid Retry-After', async () => {
      const error = await failureOf({
        status: 503,
        headers: { 'retry-after': 'soon' },
        body: notReady,
      });

      expect(error.code).toBe('cloud_not_ready');
      expect(error.details).not.toHaveProperty('retryAfterMs');
    });

    it('asks to re-link on HTTP 401', async () => {
      const error = await failureOf({ status: 401, body: { error: 'invalid_signature' } });

      expect(error.code).toBe('token_rejected');
      expect(error.message).toBe(
        "Owl Cloud rejected the token request of device device-1 (HTTP 401): the signature or timestamp is invalid. Check that this computer's clock is correct (it reads 2026-01-01T12:00:00.000Z); if it is, re-link this printer",
      );
    });

    it('asks to re-link on HTTP 403', async () => {
      const error = await failureOf({ status: 403, body: { error: 'forbidden' } });

      expect(error.code).toBe('token_rejected');
      expect(error.message).toBe(
        'Owl Cloud refused to issue a token for device device-1 (HTTP 403); re-link this printer',
      );
    });

    it('reports another 5xx with its body', async () => {
      const error = await failureOf({
        status: 502,
        headers: { 'retry-after': '5' },
        body: 'bad gateway',
      });

      expect(error.code).toBe('token_failed');
      expect(error.message).toBe(
        'Token request of device device-1 failed (HTTP 502: "bad gateway")',
      );
      expect(error.details).not.toHaveProperty('retryAfterMs');
    });
  });
});
