import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { FakeClock, flushMicrotasks } from '../../../test/support/fake-clock.js';
import { type MosquittoProcess, startMosquitto } from '../../../test/support/mosquitto.js';
import { TestClients } from '../../../test/support/mqtt-test-clients.js';
import { DynsecAuthority } from './dynsec-authority.js';
import { EmbeddedBroker } from './embedded-broker.js';

const clients = new TestClients();
let mosquitto: MosquittoProcess;
let authority: DynsecAuthority | undefined;

const DEVICE_A = '00000000-0000-0000-0000-00000000000a';
const DEVICE_B = '00000000-0000-0000-0000-00000000000b';
const TOKEN_1 = `eyJhbGciOiJFZERTQSJ9.${'a'.repeat(380)}.sig-1`;
const TOKEN_2 = `eyJhbGciOiJFZERTQSJ9.${'b'.repeat(380)}.sig-2`;

function deviceLogin(deviceId: string, token: string) {
  return { clientId: deviceId, username: deviceId, password: token };
}

async function connectAuthority(): Promise<DynsecAuthority> {
  authority = await DynsecAuthority.connect({
    url: mosquitto.url,
    username: mosquitto.admin?.username ?? '',
    password: mosquitto.admin?.password ?? '',
  });
  return authority;
}

beforeEach(async () => {
  mosquitto = await startMosquitto({ dynamicSecurity: true });
});

afterEach(async () => {
  await clients.closeAll();
  await authority?.close();
  authority = undefined;
  await mosquitto.close();
});

describe('DynsecAuthority', () => {
  describe('connect', () => {
    it('rejects wrong admin credentials', async () => {
      const attempt = DynsecAuthority.connect({
        url: mosquitto.url,
        username: 'admin',
        password: 'wrong',
      });

      await expect(attempt).rejects.toMatchObject({
        code: 'dynsec_connect_failed',
        message: `Connecting to ${mosquitto.url} as admin failed: Connection refused: Not authorized`,
      });
    });

    it('rejects a user without the admin role', async () => {
      const owner = await connectAuthority();
      await owner.provisionOperator('ops', 'ops-secret');

      const attempt = DynsecAuthority.connect({
        url: mosquitto.url,
        username: 'ops',
        password: 'ops-secret',
      });

      await expect(attempt).rejects.toMatchObject({
        code: 'dynsec_connect_failed',
        message:
          'Subscription to $CONTROL/dynamic-security/v1/response was rejected; the user needs the dynsec admin role',
      });
    });

    it('leaves anonymous clients out', async () => {
      await connectAuthority();

      const error = await clients.connectRejected(mosquitto.url);

      expect(error.code).toBe(135);
    });
  });

  describe('provisionDevice', () => {
    it('lets the device connect with its token', async () => {
      const owner = await connectAuthority();

      await owner.provisionDevice(DEVICE_A, TOKEN_1);
      const { connack } = await clients.connect(mosquitto.url, deviceLogin(DEVICE_A, TOKEN_1));

      expect(connack.reasonCode).toBe(0);
    });

    it('rejects a wrong token', async () => {
      const owner = await connectAuthority();
      await owner.provisionDevice(DEVICE_A, TOKEN_1);

      const error = await clients.connectRejected(mosquitto.url, deviceLogin(DEVICE_A, 'forged'));

      expect(error.code).toBe(135);
      expect(error.message).toBe('Connection refused: Not authorized');
    });

    it('rejects token under another client id', async () => {
      const owner = await connectAuthority();
      await owner.provisionDevice(DEVICE_A, TOKEN_1);

      const error = await clients.connectRejected(mosquitto.url, {
        ...deviceLogin(DEVICE_A, TOKEN_1),
        clientId: 'somebody-else',
      });

      expect(error.code).toBe(135);
    });

    it('rotates the token', async () => {
      const owner = await connectAuthority();
      await owner.provisionDevice(DEVICE_A, TOKEN_1);

      await owner.provisionDevice(DEVICE_A, TOKEN_2);

      const old = await clients.connectRejected(mosquitto.url, deviceLogin(DEVICE_A, TOKEN_1));
      expect(old.code).toBe(135);
      const { connack } = await clients.connect(mosquitto.url, deviceLogin(DEVICE_A, TOKEN_2));
      expect(connack.reasonCode).toBe(0);
    });

    it('rejects foreign topic publish with 135', async () => {
      const owner = await connectAuthority();
      await owner.provisionDevice(DEVICE_A, TOKEN_1);
      const { client } = await clients.connect(mosquitto.url, deviceLogin(DEVICE_A, TOKEN_1));

      await client.publishAsync(`owl/printers/${DEVICE_A}/status`, '{}', { qos: 1 });
      const error = await client
        .publishAsync(`owl/printers/${DEVICE_B}/status`, '{}', { qos: 1 })
        .catch((e) => e);

      expect(error.code).toBe(135);
      expect(error.message).toBe('Publish error: Not authorized');
    });

    it('allows the device its own subscriptions only', async () => {
      const owner = await connectAuthority();
      await owner.provisionDevice(DEVICE_A, TOKEN_1);
      const { client } = await clients.connect(mosquitto.url, deviceLogin(DEVICE_A, TOKEN_1));

      const own = await client.subscribeAsync(
        [
          `owl/printers/${DEVICE_A}/commands/#`,
          `owl/printers/${DEVICE_A}/config/notify`,
          'owl/broadcasts/config-update',
        ],
        { qos: 1 },
      );
      const other = await client
        .subscribeAsync(`owl/printers/${DEVICE_B}/commands/#`, { qos: 1 })
        .catch((e) => e);

      expect(own.map((grant) => grant.qos)).toEqual([1, 1, 1]);
      expect(other.message).toBe('Subscribe error: Not authorized');
    });

    it('rejects a device id with a topic separator', async () => {
      const owner = await connectAuthority();

      await expect(owner.provisionDevice('a/b', TOKEN_1)).rejects.toMatchObject({
        code: 'invalid_device_id',
        message:
          'Invalid device id "a/b": use 1-128 characters without "/", "+", "#" or control characters',
      });
    });

    it('rejects an empty token', async () => {
      const owner = await connectAuthority();

      await expect(owner.provisionDevice(DEVICE_A, '')).rejects.toMatchObject({
        code: 'invalid_credentials',
        message: 'The token must not be empty',
      });
    });
  });

  describe('provisionOperator', () => {
    it('reads every device topic and sends commands', async () => {
      const owner = await connectAuthority();
      await owner.provisionDevice(DEVICE_A, TOKEN_1);
      await owner.provisionDevice(DEVICE_B, TOKEN_1);
      await owner.provisionOperator('ops', 'ops-secret');
      const operator = await clients.connect(mosquitto.url, {
        username: 'ops',
        password: 'ops-secret',
      });
      await operator.client.subscribeAsync('owl/printers/#', { qos: 1 });
      const deviceA = await clients.connect(mosquitto.url, deviceLogin(DEVICE_A, TOKEN_1));
      const deviceB = await clients.connect(mosquitto.url, deviceLogin(DEVICE_B, TOKEN_1));
      await deviceB.client.subscribeAsync(`owl/printers/${DEVICE_B}/commands/#`, { qos: 1 });

      await deviceA.client.publishAsync(`owl/printers/${DEVICE_A}/status`, 'a', { qos: 1 });
      await deviceB.client.publishAsync(`owl/printers/${DEVICE_B}/events`, 'b', { qos: 2 });
      const command = `owl/printers/${DEVICE_B}/commands/print:pause`;
      await operator.client.publishAsync(command, '{"commandId":"c-1"}', { qos: 1 });

      const seen = await operator.inbox.take(3);
      expect(seen.map((message) => message.payload)).toEqual(['a', 'b', '{"commandId":"c-1"}']);
      const received = await deviceB.inbox.next();
      expect(received.topic).toBe(command);
    });

    it('may not publish device telemetry', async () => {
      const owner = await connectAuthority();
      await owner.provisionOperator('ops', 'ops-secret');
      const { client } = await clients.connect(mosquitto.url, {
        username: 'ops',
        password: 'ops-secret',
      });

      const error = await client
        .publishAsync(`owl/printers/${DEVICE_A}/status`, '{}', { qos: 1 })
        .catch((e) => e);

      expect(error.code).toBe(135);
    });

    it('updates the password of an existing operator', async () => {
      const owner = await connectAuthority();
      await owner.provisionOperator('ops', 'first');

      await owner.provisionOperator('ops', 'second');

      expect(
        (await clients.connectRejected(mosquitto.url, { username: 'ops', password: 'first' })).code,
      ).toBe(135);
      const { connack } = await clients.connect(mosquitto.url, {
        username: 'ops',
        password: 'second',
      });
      expect(connack.reasonCode).toBe(0);
    });
  });

  describe('revokeDevice', () => {
    it('disconnects and locks out the device', async () => {
      const owner = await connectAuthority();
      await owner.provisionDevice(DEVICE_A, TOKEN_1);
      const { client } = await clients.connect(mosquitto.url, deviceLogin(DEVICE_A, TOKEN_1));
      const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));

      await owner.revokeDevice(DEVICE_A);

      await closed;
      const error = await clients.connectRejected(mosquitto.url, deviceLogin(DEVICE_A, TOKEN_1));
      expect(error.code).toBe(135);
    });

    it('accepts a device that was never provisioned', async () => {
      const owner = await connectAuthority();

      await expect(owner.revokeDevice(DEVICE_B)).resolves.toBeUndefined();
    });

    it('allows provisioning again after revocation', async () => {
      const owner = await connectAuthority();
      await owner.provisionDevice(DEVICE_A, TOKEN_1);
      await owner.revokeDevice(DEVICE_A);

      await owner.provisionDevice(DEVICE_A, TOKEN_2);

      const { connack } = await clients.connect(mosquitto.url, deviceLogin(DEVICE_A, TOKEN_2));
      expect(connack.reasonCode).toBe(0);
    });
  });

  describe('command timeout', () => {
    it('rejects when the broker never answers', async () => {
      const clock = new FakeClock();
      const silent = new EmbeddedBroker({});
      const { url } = await silent.listen();
      try {
        const attempt = DynsecAuthority.connect({
          url,
          username: 'admin',
          password: 'x',
          clock,
          commandTimeoutMs: 1_000,
        });
        const settled = attempt.catch((error: unknown) => error);
        await waitForPendingTimer(clock);

        clock.advance(1_000);

        expect(await settled).toMatchObject({
          code: 'dynsec_timeout',
          message: 'No dynamic-security response to setDefaultACLAccess within 1000 ms',
        });
      } finally {
        await silent.close();
      }
    });

    it('rejects commands after close', async () => {
      const owner = await connectAuthority();
      await owner.close();
      authority = undefined;

      await expect(owner.provisionDevice(DEVICE_A, TOKEN_1)).rejects.toMatchObject({
        code: 'dynsec_closed',
        message: 'The dynamic-security channel is closed',
      });
    });
  });
});

/** Lets the connect run until its command waits on the fake clock. */
async function waitForPendingTimer(clock: FakeClock): Promise<void> {
  while (clock.pendingTimers === 0) {
    await flushMicrotasks();
    await new Promise((resolve) => setImmediate(resolve));
  }
}
