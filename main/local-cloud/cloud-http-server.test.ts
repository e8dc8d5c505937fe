import { request as httpRequest } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { linkResponseSchema, tokenSigningInput } from '../../shared/contract/device-http.js';
import { FakeClock } from '../../test/support/fake-clock.js';
import { DeviceKey } from '../cloud/device-key.js';
import { CloudHttpServer } from './cloud-http-server.js';
import { OperatorClient } from './operator-client.js';

interface JsonResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

describe('CloudHttpServer', () => {
  let clock: FakeClock;
  let server: CloudHttpServer;
  let operator: OperatorClient;

  beforeEach(async () => {
    clock = new FakeClock();
    server = new CloudHttpServer({ clock, operatorToken: 'operator-secret' });
    await server.start();
    operator = new OperatorClient({ baseUrl: server.url, operatorToken: 'operator-secret' });
  });

  afterEach(async () => {
    await server.close();
  });

  async function send(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<JsonResponse> {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : text,
    });
    const responseText = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: responseText === '' ? undefined : (JSON.parse(responseText) as unknown),
    };
  }

  async function linkDevice(): Promise<{ deviceId: string; key: DeviceKey }> {
    const { code } = await operator.mintLinkCode();
    const response = await send('POST', '/api/v1/devices/link', { linkCode: code });
    const credentials = linkResponseSchema.parse(response.body);
    return {
      deviceId: credentials.deviceId,
      key: DeviceKey.fromBase64(credentials.devicePrivateKey),
    };
  }

  function signedTokenRequest(deviceId: string, key: DeviceKey, timestamp: number) {
    return { deviceId, timestamp, signature: key.sign(tokenSigningInput(deviceId, timestamp)) };
  }

  const nowSeconds = (): number => Math.floor(clock.now() / 1000);

  describe('POST /api/v1/devices/link', () => {
    it('returns 404 for each poll before acceptance', async () => {
      const { code } = await operator.mintLinkCode({ acceptAfterPolls: 2 });

      const statuses: number[] = [];
      for (let poll = 0; poll < 3; poll += 1) {
        statuses.push((await send('POST', '/api/v1/devices/link', { linkCode: code })).status);
      }

      expect(statuses).toEqual([404, 404, 200]);
    });

    it('issues a fresh key pair per device', async () => {
      const first = await linkDevice();
      const second = await linkDevice();

      expect(first.deviceId).not.toBe(second.deviceId);
      expect(first.key.publicKeyBase64()).not.toBe(second.key.publicKeyBase64());
      expect(server.registry.get(first.deviceId)?.publicKey).toBe(first.key.publicKeyBase64());
    });

    it.each([
      ['an unknown code', 'ZZZZZZ', 404, 'link_code_unknown'],
      ['an empty code', '  ', 400, 'invalid_request'],
    ])('rejects %s', async (_case, linkCode, status, error) => {
      const response = await send('POST', '/api/v1/devices/link', { linkCode });

      expect(response.status).toBe(status);
      expect(response.body).toMatchObject({ error });
    });

    it('returns 409 for used, 410 for expired codes', async () => {
      const { code: used } = await operator.mintLinkCode();
      const { code: expired } = await operator.mintLinkCode({ ttlSeconds: 30 });
      await send('POST', '/api/v1/devices/link', { linkCode: used });
      clock.advance(30_000);

      const usedResponse = await send('POST', '/api/v1/devices/link', { linkCode: used });
      const expiredResponse = await send('POST', '/api/v1/devices/link', { linkCode: expired });

      expect(usedResponse).toMatchObject({
        status: 409,
        body: { error: 'link_code_used', message: 'Link code was already used' },
      });
      expect(expiredResponse).toMatchObject({
        status: 410,
        body: { error: 'link_code_expired', message: 'Link code has expired' },
      });
    });
  });

  describe('POST /api/v1/devices/token', () => {
    it('issues a token for a valid signature', async () => {
      const { deviceId, key } = await linkDevice();

      const response = await send(
        'POST',
        '/api/v1/devices/token',
        signedTokenRequest(deviceId, key, nowSeconds()),
      );

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        issuedAt: '2026-01-01T12:00:00+00:00',
        expiresIn: 3600,
        tokenType: 'Bearer',
      });
      const { accessToken } = response.body as { accessToken: string };
      expect((await server.authority.verify(accessToken))?.deviceId).toBe(deviceId);
    });

    it('answers only after the broker stored the token', async () => {
      const { deviceId, key } = await linkDevice();
      let finishProvisioning = (): void => undefined;
      const provisioningStarted = new Promise<string>((started) => {
        server.authority.addProvisioner(
          ({ token }) =>
            new Promise<void>((resolve) => {
              finishProvisioning = resolve;
              started(token);
            }),
        );
      });
      let answered = false;

      const pending = send(
        'POST',
        '/api/v1/devices/token',
        signedTokenRequest(deviceId, key, nowSeconds()),
      ).then((response) => {
        answered = true;
        return response;
      });
      const provisionedToken = await provisioningStarted;
      await new Promise((resolve) => setImmediate(resolve));
      expect(answered).toBe(false);
      finishProvisioning();
      const response = await pending;

      expect(response.status).toBe(200);
      expect((response.body as { accessToken: string }).accessToken).toBe(provisionedToken);
    });

    it('returns 503 when the broker rejects the token', async () => {
      const { deviceId, key } = await linkDevice();
      server.authority.addProvisioner(() =>
        Promise.reject(new Error('Dynamic-security command createClient failed: quota')),
      );

      const response = await send(
        'POST',
        '/api/v1/devices/token',
        signedTokenRequest(deviceId, key, nowSeconds()),
      );

      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(response.body).toEqual({
        error: 'provisioning_failed',
        message:
          `Setting up the broker login of device ${deviceId} failed: Dynamic-security command ` +
          'createClient failed: quota; request a token again',
      });
    });

    it('rejects a signature by another key', async () => {
      const { deviceId } = await linkDevice();
      const { key: otherKey } = await linkDevice();

      const response = await send(
        'POST',
        '/api/v1/devices/token',
        signedTokenRequest(deviceId, otherKey, nowSeconds()),
      );

      expect(response).toMatchObject({
        status: 401,
        body: { error: 'invalid_signature', message: 'Signature does not match the device key' },
      });
    });

    it('rejects a signature over another timestamp', async () => {
      const { deviceId, key } = await linkDevice();
      const request = signedTokenRequest(deviceId, key, nowSeconds());

      const response = await send('POST', '/api/v1/devices/token', {
        ...request,
        timestamp: request.timestamp + 1,
      });

      expect(response).toMatchObject({ status: 401, body: { error: 'invalid_signature' } });
    });

    it('accepts 300 s of skew and rejects more', async () => {
      const { deviceId, key } = await linkDevice();

      const edge = signedTokenRequest(deviceId, key, nowSeconds() - 300);
      const beyond = signedTokenRequest(deviceId, key, nowSeconds() + 301);

      expect((await send('POST', '/api/v1/devices/token', edge)).status).toBe(200);
      expect(await send('POST', '/api/v1/devices/token', beyond)).toMatchObject({
        status: 401,
        body: {
          error: 'timestamp_out_of_range',
          message: 'Timestamp differs from server time by 301 s; at most 300 s is accepted',
        },
      });
    });

    it('returns 404 for unknown or revoked devices', async () => {
      const { deviceId, key } = await linkDevice();
      const unknown = signedTokenRequest('no-such-device', key, nowSeconds());
      await operator.revokeDevice(deviceId);

      const revoked = signedTokenRequest(deviceId, key, nowSeconds());

      expect((await send('POST', '/api/v1/devices/token', unknown)).status).toBe(404);
      expect(await send('POST', '/api/v1/devices/token', revoked)).toMatchObject({
        status: 404,
        body: { error: 'device_unknown' },
      });
    });
  });

  describe('operator endpoints', () => {
    it.each([
      ['POST', '/api/v1/operator/link-codes'],
      ['GET', '/api/v1/operator/devices'],
      ['DELETE', '/api/v1/operator/devices/some-device'],
    ])('reject %s %s without the operator token', async (method, path) => {
      const missing = await send(method, path);
      const wrong = await send(method, path, undefined, {
        authorization: 'Bearer operator-secreT',
      });

      for (const response of [missing, wrong]) {
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toBe('Bearer');
        expect(response.body).toEqual({
          error: 'unauthorized',
          message: 'Missing or invalid operator bearer token',
        });
      }
    });

    it('mints six-character codes that expire after 600 s', async () => {
      const minted = await operator.mintLinkCode();
      const custom = await operator.mintLinkCode({ ttlSeconds: 60 });

      expect(minted.code).toMatch(/^[A-Z0-9]{6}$/);
      expect(minted.expiresAt).toBe('2026-01-01T12:10:00.000Z');
      expect(custom.expiresAt).toBe('2026-01-01T12:01:00.000Z');
    });

    it('rejects invalid link code options', async () => {
      const headers = { authorization: 'Bearer operator-secret' };

      const negative = await send(
        'POST',
        '/api/v1/operator/link-codes',
        { acceptAfterPolls: -1 },
        headers,
      );
      const unknown = await send('POST', '/api/v1/operator/link-codes', { ttl: 5 }, headers);

      expect(negative).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
      expect((negative.body as { message: string }).message).toMatch(
        /^Invalid request field acceptAfterPolls: /,
      );
      expect(unknown).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    });

    it('lists devices without keys and revokes them', async () => {
      const { deviceId } = await linkDevice();
      clock.advance(1_000);

      await operator.revokeDevice(deviceId);
      const devices = await operator.listDevices();

      expect(devices).toEqual([
        {
          deviceId,
          printerId: expect.any(String) as unknown,
          tenantId: '00000000-0000-0000-0000-000000000001',
          linkedAt: '2026-01-01T12:00:00+00:00',
          revokedAt: '2026-01-01T12:00:01.000Z',
        },
      ]);
    });

    it('returns 404 revoking an unknown device', async () => {
      await expect(operator.revokeDevice('no-such-device')).rejects.toMatchObject({
        code: 'operator_request_failed',
        details: { status: 404 },
      });
    });
  });

  describe('request handling', () => {
    it('returns 400 for a body that is not JSON', async () => {
      const response = await send('POST', '/api/v1/devices/link', '{"linkCode":');

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ error: 'invalid_json' });
      expect((response.body as { message: string }).message).toMatch(
        /^Request body is not valid JSON: /,
      );
    });

    it('returns 413 for a body over 64 KiB', async () => {
      const response = await send('POST', '/api/v1/devices/link', {
        linkCode: 'A'.repeat(64 * 1024),
      });

      expect(response).toMatchObject({
        status: 413,
        body: { error: 'payload_too_large', message: 'Request body exceeds 65536 bytes' },
      });
    });

    it('returns 413 for a chunked body over 64 KiB', async () => {
      const status = await new Promise<number | undefined>((resolve, reject) => {
        const request = httpRequest(`${server.url}/api/v1/devices/link`, { method: 'POST' });
        request.on('response', (response) => {
          response.resume();
          resolve(response.statusCode);
        });
        request.on('error', reject);
        request.write('{"linkCode":"');
        request.write('A'.repeat(70 * 1024));
        request.end('"}');
      });

      expect(status).toBe(413);
    });

    it('returns 404 for unknown paths, 405 for wrong methods', async () => {
      const unknown = await send('GET', '/api/v1/nothing');
      const wrongMethod = await send('GET', '/api/v1/devices/link');

      expect(unknown).toMatchObject({ status: 404, body: { error: 'not_found' } });
      expect(wrongMethod.status).toBe(405);
      expect(wrongMethod.headers.get('allow')).toBe('POST');
    });
  });
});
