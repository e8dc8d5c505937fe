import { SignJWT, decodeJwt } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { FakeClock, flushMicrotasks } from '../../test/support/fake-clock.js';
import { DeviceRegistry } from './device-registry.js';
import { TokenAuthority, type DeviceTokenIssued } from './token-authority.js';

const secret = new Uint8Array(32).fill(5);

describe('TokenAuthority', () => {
  let clock: FakeClock;
  let registry: DeviceRegistry;
  let authority: TokenAuthority;

  beforeEach(async () => {
    clock = new FakeClock();
    registry = new DeviceRegistry();
    authority = new TokenAuthority({ registry, clock, secret, lifetimeSeconds: 3600 });
    for (const deviceId of ['device-1', 'device-2']) {
      await registry.register({
        deviceId,
        printerId: `printer-of-${deviceId}`,
        tenantId: 'tenant-1',
        publicKey: Buffer.alloc(32).toString('base64'),
        linkedAt: '2026-01-01T12:00:00+00:00',
      });
    }
  });

  describe('issue', () => {
    it('signs the contract claims', async () => {
      const issued = await authority.issue('device-1');

      const claims = decodeJwt(issued.accessToken);
      const now = Math.floor(clock.now() / 1000);
      expect(claims).toMatchObject({
        sub: 'device-1',
        iss: 'owl-local-cloud',
        aud: 'mqtt',
        iat: now,
        exp: now + 3600,
      });
      expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
      expect(issued.issuedAtMs).toBe(clock.now());
      expect(issued.expiresInSeconds).toBe(3600);
    });

    it('reports each token to listeners', async () => {
      const reported: DeviceTokenIssued[] = [];
      authority.onTokenIssued((issued) => reported.push(issued));

      const issued = await authority.issue('device-1');

      expect(reported).toEqual([
        { deviceId: 'device-1', token: issued.accessToken, expiresAt: clock.now() + 3_600_000 },
      ]);
    });

    it('waits for the broker provisioners before returning', async () => {
      const calls: string[] = [];
      let finish = (): void => undefined;
      const started = new Promise<void>((provisioning) => {
        authority.addProvisioner(async ({ deviceId }) => {
          calls.push(`dynsec ${deviceId}`);
          provisioning();
          await new Promise<void>((resolve) => {
            finish = resolve;
          });
          calls.push('dynsec done');
        });
      });
      authority.onTokenIssued(() => calls.push('issued'));

      const issuing = authority.issue('device-1').then(() => calls.push('returned'));
      await started;
      await flushMicrotasks();
      expect(calls).toEqual(['dynsec device-1']);
      finish();
      await issuing;

      expect(calls).toEqual(['dynsec device-1', 'dynsec done', 'issued', 'returned']);
    });

    it('rejects with provisioning_failed when a broker fails', async () => {
      authority.addProvisioner(() => Promise.reject(new Error('not authorized')));

      await expect(authority.issue('device-1')).rejects.toMatchObject({
        code: 'provisioning_failed',
        message:
          'Setting up the broker login of device device-1 failed: not authorized; request a ' +
          'token again',
      });
    });

    it('rejects with provisioning_timeout after the bound', async () => {
      const bounded = new TokenAuthority({ registry, clock, secret, provisionTimeoutMs: 2_000 });
      const started = new Promise<void>((provisioning) => {
        bounded.addProvisioner(() => {
          provisioning();
          return new Promise(() => undefined);
        });
      });

      const outcome = bounded.issue('device-1').then(
        () => 'resolved',
        (error: unknown) => error,
      );
      await started;
      clock.advance(1_999);
      await flushMicrotasks();
      expect(clock.pendingTimers).toBe(1);
      clock.advance(1);

      await expect(outcome).resolves.toMatchObject({
        code: 'provisioning_timeout',
        message:
          'Setting up the broker login of device device-1 took longer than 2000 ms; request a ' +
          'token again',
      });
      expect(clock.pendingTimers).toBe(0);
    });

    it('stops waiting for a removed provisioner', async () => {
      const provisioner = authority.addProvisioner(() => new Promise(() => undefined));
      provisioner.dispose();

      await expect(authority.issue('device-1')).resolves.toMatchObject({ expiresInSeconds: 3600 });
    });

    it('rejects a revoked device', async () => {
      await registry.revoke('device-1', '2026-01-01T12:00:00.000Z');

      await expect(authority.issue('device-1')).rejects.toMatchObject({
        code: 'device_unknown',
        message: 'Device device-1 is unknown or revoked',
      });
    });
  });

  describe('verify', () => {
    it('accepts a fresh token', async () => {
      const { accessToken } = await authority.issue('device-1');

      expect(await authority.verify(accessToken)).toEqual({
        deviceId: 'device-1',
        expiresAt: clock.now() + 3_600_000,
      });
    });

    it('rejects an expired token', async () => {
      const { accessToken } = await authority.issue('device-1');
      clock.advance(3_599_000);
      expect(await authority.verify(accessToken)).not.toBeNull();

      clock.advance(1_000);

      expect(await authority.verify(accessToken)).toBeNull();
    });

    it('rejects a token signed with another secret', async () => {
      const other = new TokenAuthority({ registry, clock, secret: new Uint8Array(32).fill(6) });
      const { accessToken } = await other.issue('device-1');

      expect(await authority.verify(accessToken)).toBeNull();
    });

    it('rejects a token with a changed subject', async () => {
      const { accessToken } = await authority.issue('device-1');
      const [header, , signature] = accessToken.split('.');
      const claims = { ...decodeJwt(accessToken), sub: 'device-2' };
      const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');

      expect(await authority.verify(`${header}.${payload}.${signature}`)).toBeNull();
    });

    it('rejects a token for another audience', async () => {
      const seconds = Math.floor(clock.now() / 1000);
      const foreign = await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('device-1')
        .setIssuer('owl-local-cloud')
        .setAudience('http')
        .setIssuedAt(seconds)
        .setExpirationTime(seconds + 60)
        .sign(secret);

      expect(await authority.verify(foreign)).toBeNull();
    });

    it('rejects the token of a revoked device', async () => {
      const { accessToken } = await authority.issue('device-1');

      await registry.revoke('device-1', '2026-01-01T12:00:00.000Z');

      expect(await authority.verify(accessToken)).toBeNull();
    });

    it('rejects text that is not a JWT', async () => {
      expect(await authority.verify('not-a-token')).toBeNull();
    });
  });

  describe('verifyMqttLogin', () => {
    it('accepts a device with its own token', async () => {
      const { accessToken } = await authority.issue('device-1');

      expect(await authority.verifyMqttLogin('device-1', accessToken)).toEqual({
        role: 'device',
        deviceId: 'device-1',
      });
      expect(await authority.verifyMqttLogin('device-1', Buffer.from(accessToken))).toEqual({
        role: 'device',
        deviceId: 'device-1',
      });
    });

    it('rejects a username that differs from the subject', async () => {
      const { accessToken } = await authority.issue('device-1');

      expect(await authority.verifyMqttLogin('device-2', accessToken)).toBeNull();
    });

    it('rejects a login without password', async () => {
      expect(await authority.verifyMqttLogin('device-1', undefined)).toBeNull();
    });

    it('accepts the operator with its password only', async () => {
      const { username, password } = authority.operatorCredentials();

      expect(username).toBe('operator');
      expect(password.length).toBeGreaterThanOrEqual(20);
      expect(await authority.verifyMqttLogin(username, password)).toEqual({
        role: 'operator',
        deviceId: 'operator',
      });
      expect(await authority.verifyMqttLogin(username, `${password}x`)).toBeNull();
    });
  });
});
